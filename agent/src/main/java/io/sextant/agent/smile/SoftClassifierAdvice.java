package io.sextant.agent.smile;

import io.sextant.agent.bridge.InferenceBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code int predict(T x, double[] posteriori)} of Smile's soft classifiers: like
 * {@link ClassifierAdvice}, and the posterior probability of the predicted class becomes the
 * record's score.
 */
final class SoftClassifierAdvice
{
    private SoftClassifierAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter()
    {
        return InferenceBridge.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter final long start, @Advice.This final Object self,
        @Advice.Argument(0) final Object input, @Advice.Argument(1) final Object posteriori,
        @Advice.Return final int predicted, @Advice.Thrown final Throwable thrown)
    {
        InferenceBridge.exitClass(start, self, input, posteriori, predicted, thrown);
    }
}
