/**
 * The command line: {@code serve}, {@code query} and {@code status}, each with {@code --help}.
 */
package io.sextant.collector.cli;
