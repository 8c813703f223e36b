package io.sextant.agent.smile;

import io.sextant.agent.bridge.InferenceBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code double predict(T x)} of every Smile {@code Regression} implementation (see
 * {@link ClassifierAdvice}).
 */
final class RegressionAdvice
{
    private RegressionAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter()
    {
        return InferenceBridge.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter final long start, @Advice.This final Object self,
        @Advice.Argument(0) final Object input, @Advice.Return final double value,
        @Advice.Thrown final Throwable thrown)
    {
        InferenceBridge.exitNumber(start, self, input, value, thrown);
    }
}
