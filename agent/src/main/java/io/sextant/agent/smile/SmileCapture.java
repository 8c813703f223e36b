package io.sextant.agent.smile;

import io.sextant.agent.instrument.AdviceKit;
import io.sextant.agent.bridge.InferenceBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.instrument.ClassFileTransformer;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The Smile advice: on {@code predict} of every concrete class in a {@code smile.}
 * package that implements {@code smile.classification.Classifier} ({@code int predict(T)} and
 * {@code int predict(T, double[])}) or {@code smile.regression.Regression}
 * ({@code double predict(T)}), whether loaded already or later. Types are matched by name, so an
 * application without Smile loads nothing of it and the agent never links against it. Bridge
 * methods are left alone (they call the instrumented method), and so are the batch overloads
 * (they call {@code predict(T)} once per row, each row an inference).
 *
 * <p>Only classes in {@code smile.} packages are looked at, which keeps the cost of matching away
 * from every other class the application loads; an application's own implementation of Smile's
 * interfaces is not instrumented.
 */
public final class SmileCapture
{
    static final String CLASSIFIER = "smile.classification.Classifier";
    static final String REGRESSION = "smile.regression.Regression";

    private SmileCapture()
    {
    }

    /**
     * Builds the transformer (not registered: the agent's capture transformer calls it for classes
     * under {@code smile/} only, and builds it when the first of them loads).
     *
     * @param recorder where inferences go.
     * @return the transformer.
     */
    public static ClassFileTransformer transformer(final SmileRecorder recorder)
    {
        InferenceBridge.sink = recorder;
        final AdviceKit kit = new AdviceKit(SmileCapture.class.getClassLoader());
        final Advice classifier = kit.advice(ClassifierAdvice.class.getName());
        final Advice soft = kit.advice(SoftClassifierAdvice.class.getName());
        final Advice regression = kit.advice(RegressionAdvice.class.getName());
        final ElementMatcher.Junction<MethodDescription> predict =
            named("predict").and(not(isAbstract())).and(not(isBridge()));
        return AdviceKit.builder("Smile capture", null)
            .ignore(not(nameStartsWith("smile.")))
            .type(not(isInterface()).and(hasSuperType(named(CLASSIFIER))))
            .transform((builder, type, loader, module, domain) -> builder
                .visit(classifier.on(predict.and(takesArguments(1)).and(returns(int.class))))
                .visit(soft.on(predict.and(takesArguments(2)).and(takesArgument(1, double[].class))
                    .and(returns(int.class)))))
            .type(not(isInterface()).and(hasSuperType(named(REGRESSION))))
            .transform((builder, type, loader, module, domain) -> builder
                .visit(regression.on(predict.and(takesArguments(1)).and(returns(double.class)))))
            .makeRaw();
    }
}
