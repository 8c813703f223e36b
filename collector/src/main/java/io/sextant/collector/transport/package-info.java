/**
 * Netty transport selection shared by the collector's servers: native epoll when available, NIO
 * otherwise.
 */
package io.sextant.collector.transport;
