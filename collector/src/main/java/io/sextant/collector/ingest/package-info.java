/**
 * Binary ingest of the agent protocol on Netty: handshake and token check, per-connection series
 * dictionary checks, duplicate and gap detection by (agent, session, sequence), hand-off of frames to
 * the journal writer through a ring buffer, acknowledgement after journaling, and backpressure by
 * pausing reads when the ring is full.
 */
package io.sextant.collector.ingest;
