/**
 * The Sextant wire format shared by the agent and the collector: the frame layout, the
 * message flyweights that encode and decode over Agrona buffers without allocating, and the
 * errors a receiver reports. {@code protocol/SPEC.md} is the normative description; this
 * package implements it.
 */
package io.sextant.protocol;
