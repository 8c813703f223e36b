package io.sextant.collector.web;

import io.sextant.collector.http.Request;
import io.sextant.collector.http.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardTest
{
    private final Dashboard dashboard = new Dashboard();

    private static Request get(final String path, final Map<String, String> headers)
    {
        return new Request("GET", path, Map.of(), headers, new byte[0]);
    }

    private Response answer(final String path)
    {
        return (Response)dashboard.respond(get(path, Map.of()));
    }

    @Test
    void servesThePageWithItsTypeAPolicyAndRevalidation()
    {
        final Response r = answer("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"/ui/app.js\">");
        assertThat(r.headers()).containsEntry("Cache-Control", "no-cache").containsKey("ETag")
            .containsKey("Content-Security-Policy").containsEntry("X-Content-Type-Options", "nosniff");
    }

    @Test
    void servesModulesAndStylesWithTheirTypes()
    {
        assertThat(answer("/ui/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(answer("/ui/pages/series.js").status()).isEqualTo(200);
        assertThat(answer("/ui/app.css").contentType()).isEqualTo("text/css; charset=utf-8");
        assertThat(answer("/favicon.ico").contentType()).isEqualTo("image/svg+xml");
    }

    @Test
    void servesUplotFromItsWebJarWithAndWithoutTheVersion()
    {
        final Response plain = answer("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.contentType()).startsWith("text/javascript");
        assertThat(new String(plain.body(), StandardCharsets.UTF_8).contains("export { uPlot as default }"))
            .as("the ES module build of uPlot").isTrue();
        assertThat(plain.headers()).containsEntry("Cache-Control", "no-cache");

        final Response versioned = answer("/webjars/uplot/1.6.30/dist/uPlot.min.css");
        assertThat(versioned.status()).isEqualTo(200);
        assertThat(versioned.contentType()).startsWith("text/css");
        assertThat(versioned.headers().get("Cache-Control")).contains("immutable");
    }

    @Test
    void answersNotModifiedWhenTheETagMatches()
    {
        final String etag = answer("/ui/app.js").headers().get("ETag");
        final Response again = (Response)dashboard.respond(get("/ui/app.js", Map.of("if-none-match", etag)));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        final Response other = (Response)dashboard.respond(get("/ui/app.js", Map.of("if-none-match", "\"stale\"")));
        assertThat(other.status()).isEqualTo(200);
    }

    @Test
    void refusesPathsOutsideTheDashboardAndUnknownFiles()
    {
        for (final String path : List.of("/ui/../Collector.class", "/ui/%2e%2e/x", "/ui/.hidden", "/ui/a//b.js",
            "/ui/nothing.js", "/webjars/uplot/../../maven/x", "/webjars/nosuchjar/x.js", "/webjars/uplot"))
        {
            assertThat(answer(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void leavesOtherPathsToTheApiAndRefusesWrites()
    {
        assertThat(dashboard.respond(get("/api/v1/status", Map.of()))).isNull();
        assertThat(dashboard.respond(get("/metrics", Map.of()))).isNull();
        final Response post = (Response)dashboard.respond(new Request("POST", "/ui/app.js", Map.of(), Map.of(),
            new byte[0]));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
    }
}
