/**
 * Commands from the collector, carried out on the sender thread: thread dump, heap histogram,
 * log-level change.
 */
package io.sextant.agent.command;
