/**
 * Inference capture for Smile models with no application change: Byte Buddy advice on the
 * {@code predict} methods of Smile's classifiers and regressions, matched by name at run time (the
 * agent neither links nor ships Smile), feeding the same inference records as {@code sextant-api}.
 */
package io.sextant.agent.smile;
