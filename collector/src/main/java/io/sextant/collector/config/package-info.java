/**
 * The collector's configuration: every {@code sextant.collector.*} key declared once with its default,
 * unit and meaning, read from command-line overrides, system properties and environment variables.
 */
package io.sextant.collector.config;
