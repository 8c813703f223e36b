/**
 * The web dashboard: static pages (plain ES modules) and the uPlot WebJar served from the collector
 * jar on the query port, reading everything from the query API in the browser.
 */
package io.sextant.collector.web;
