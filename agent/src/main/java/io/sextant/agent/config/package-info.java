/**
 * Agent configuration: every key declared once with its default and meaning, read from agent
 * arguments, system properties and environment variables, validated before anything starts.
 */
package io.sextant.agent.config;
