/**
 * What applications compile against to tell Sextant about their models and their own metrics.
 *
 * <p>Start at {@link io.sextant.api.Sextant}. Every call is a no-op when no Sextant agent is
 * attached, never throws, never blocks and allocates nothing on the recording paths, so the API
 * can stay in production code unconditionally.
 */
package io.sextant.api;
