package io.sextant.agent.smile;

import io.sextant.agent.bridge.InferenceBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code int predict(T x)} of every Smile {@code Classifier} implementation. Reaches
 * the agent through the bootstrap {@link InferenceBridge}; any failure is suppressed, and the
 * model's own result or exception passes through unchanged.
 */
final class ClassifierAdvice
{
    private ClassifierAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter()
    {
        return InferenceBridge.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter final long start, @Advice.This final Object self,
        @Advice.Argument(0) final Object input, @Advice.Return final int predicted,
        @Advice.Thrown final Throwable thrown)
    {
        InferenceBridge.exitClass(start, self, input, null, predicted, thrown);
    }
}
