/**
 * The Netty side of the wire format, used by both the agent and the collector: a frame decoder
 * that fails fast on corrupt input, views of {@code ByteBuf}s as Agrona buffers, and a helper
 * that writes frames straight into pooled {@code ByteBuf}s.
 */
package io.sextant.protocol.netty;
