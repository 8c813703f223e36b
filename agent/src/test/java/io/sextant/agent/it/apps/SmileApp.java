package io.sextant.agent.it.apps;

import io.sextant.api.Model;
import io.sextant.api.Sextant;
import smile.classification.LogisticRegression;
import smile.regression.Regression;

/**
 * A system test application that uses Smile and knows nothing of the agent:
 * {@code SmileApp <mode> <calls> [<linger seconds>]} trains a tiny logistic regression and a support vector
 * regression, then calls {@code predict} on fixed inputs, every 20 ms. Mode {@code plain} uses Smile only; mode
 * {@code api} first records its inferences explicitly through {@code sextant-api} (so the agent
 * must not record the Smile calls too).
 */
public final class SmileApp
{
    private SmileApp()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final String mode = args[0];
        final int calls = Integer.parseInt(args[1]);
        final double[][] x = {
            {0.0, 0.1, 5.0}, {0.2, 0.0, 5.0}, {0.1, 0.3, 5.0}, {0.3, 0.2, 5.0},
            {1.0, 0.9, 5.0}, {0.9, 1.1, 5.0}, {1.2, 1.0, 5.0}, {1.1, 0.8, 5.0}};
        final int[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        final double[] target = {0.1, 0.2, 0.4, 0.5, 1.9, 2.0, 2.2, 1.9};
        final LogisticRegression classifier = LogisticRegression.fit(x, y);
        final Regression<double[]> regression = smile.regression.SVM.fit(x, target, 0.1, 10.0, 1E-3);
        final Model explicit = mode.equals("api") ? Sextant.model("explicit-model", "v1", new String[] {"a"}, null) :
            null;
        System.out.println("SMILE-APP STARTED " + mode + " attached=" + Sextant.isAttached() + " classifier=" +
            classifier.getClass().getName() + " regression=" + regression.getClass().getName());
        final double[] posteriori = new double[2];
        for (int i = 0; i < calls; i++)
        {
            final double[] low = {0.05, 0.1, 7.0 + i};
            final double[] high = {1.05, 0.95, 7.0 + i};
            final int a = classifier.predict(low);
            final int b = classifier.predict(high, posteriori);
            final double v = regression.predict(high);
            if (explicit != null)
            {
                explicit.recordClass(1000, Integer.toString(a), Double.NaN, null, low, null);
            }
            System.out.println("SMILE-APP predicted " + a + " " + b + " p=" + posteriori[b] + " v=" + v);
            Thread.sleep(20);
        }
        try
        {
            classifier.predict((double[])null);
            System.out.println("SMILE-APP null input accepted");
        }
        catch (final RuntimeException ex)
        {
            System.out.println("SMILE-APP null input refused: " + ex);
        }
        System.out.println("SMILE-APP DONE " + mode);
        // Stay alive so that the agent ships while the test reads (a test ends the process).
        Thread.sleep(1000L * (args.length > 2 ? Integer.parseInt(args[2]) : 0));
    }
}
