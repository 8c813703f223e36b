/**
 * The sender: one Agrona agent on one thread drains the ring buffer and samples metrics into
 * frames, keeps every sequenced frame in bounded off-heap storage until the collector
 * acknowledges it, and drives one Netty connection (one I/O thread) with handshake, series
 * definitions, resend after reconnect, backoff with jitter and heartbeats.
 */
package io.sextant.agent.ship;
