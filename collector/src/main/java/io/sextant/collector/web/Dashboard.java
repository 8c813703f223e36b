package io.sextant.collector.web;

import io.sextant.collector.api.ApiModule;
import io.sextant.collector.http.Request;
import io.sextant.collector.http.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the dashboard from the class path on the query port: {@code /} (the single page),
 * {@code /ui/...} (its modules, styles and icon) and {@code /webjars/NAME/...} (WebJars such as uPlot,
 * with or without the version in the path).
 *
 * <p>Caching: the page and its modules are revalidated on every load ({@code no-cache} with a strong
 * ETag, answered with 304 when unchanged), so a new collector jar takes effect at once; a WebJar file
 * addressed with its version never changes and is cached for a year.
 *
 * <p>Called on HTTP executor threads; the only state is a cache of immutable assets, filled on first
 * use and bounded by what the jar holds (misses are never cached).
 */
public final class Dashboard implements ApiModule
{
    private static final String UI_ROOT = "io/sextant/collector/web/ui/";
    private static final String WEBJAR_ROOT = "META-INF/resources/webjars/";
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*" +
        "(/[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*)*");
    private static final Map<String, String> TYPES = Map.ofEntries(
        Map.entry("html", "text/html; charset=utf-8"),
        Map.entry("js", "text/javascript; charset=utf-8"),
        Map.entry("mjs", "text/javascript; charset=utf-8"),
        Map.entry("css", "text/css; charset=utf-8"),
        Map.entry("svg", "image/svg+xml"),
        Map.entry("png", "image/png"),
        Map.entry("ico", "image/x-icon"),
        Map.entry("json", "application/json"),
        Map.entry("map", "application/json"),
        Map.entry("txt", "text/plain; charset=utf-8"),
        Map.entry("md", "text/markdown; charset=utf-8"),
        Map.entry("ts", "text/plain; charset=utf-8"));
    private static final String REVALIDATE = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Scripts and styles only from the collector; uPlot sets element styles, which CSP allows. */
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
        "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** One file ready to send. */
    private record Asset(byte[] body, String contentType, String etag)
    {
    }

    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();
    private final Map<String, String> webjarVersions = new ConcurrentHashMap<>();

    public Dashboard()
    {
        this(Dashboard.class.getClassLoader());
    }

    Dashboard(final ClassLoader loader)
    {
        this.loader = loader;
    }

    @Override
    public Object respond(final Request request)
    {
        final String path = request.path();
        final String resource;
        final String cacheControl;
        if (path.equals("/") || path.equals("/index.html") || path.equals("/ui") || path.equals("/ui/"))
        {
            resource = UI_ROOT + "index.html";
            cacheControl = REVALIDATE;
        }
        else if (path.equals("/favicon.ico"))
        {
            resource = UI_ROOT + "favicon.svg";
            cacheControl = REVALIDATE;
        }
        else if (path.startsWith("/ui/"))
        {
            final String rest = path.substring("/ui/".length());
            if (!SAFE_PATH.matcher(rest).matches())
            {
                return notFound(path);
            }
            resource = UI_ROOT + rest;
            cacheControl = REVALIDATE;
        }
        else if (path.startsWith("/webjars/"))
        {
            final String rest = path.substring("/webjars/".length());
            final int slash = rest.indexOf('/');
            if (!SAFE_PATH.matcher(rest).matches() || slash <= 0)
            {
                return notFound(path);
            }
            final String name = rest.substring(0, slash);
            final String version = webjarVersion(name);
            if (version != null && rest.startsWith(name + "/" + version + "/"))
            {
                resource = WEBJAR_ROOT + rest;
                cacheControl = IMMUTABLE;
            }
            else if (version != null)
            {
                resource = WEBJAR_ROOT + name + "/" + version + rest.substring(slash);
                cacheControl = REVALIDATE;
            }
            else
            {
                return notFound(path);
            }
        }
        else
        {
            return null;
        }
        if (!request.method().equals("GET") && !request.method().equals("HEAD"))
        {
            return Response.text(405, "method " + request.method() + " not allowed on " + path + "; use GET\n")
                .withHeader("Allow", "GET, HEAD");
        }
        final Asset asset = asset(resource);
        if (asset == null)
        {
            return notFound(path);
        }
        final String ifNoneMatch = request.header("if-none-match");
        Response response = ifNoneMatch != null && ifNoneMatch.contains(asset.etag()) ?
            new Response(304, asset.contentType(), new byte[0], Map.of()) :
            new Response(200, asset.contentType(), asset.body(), Map.of());
        response = response.withHeader("ETag", asset.etag())
            .withHeader("Cache-Control", cacheControl)
            .withHeader("X-Content-Type-Options", "nosniff");
        if (asset.contentType().startsWith("text/html"))
        {
            response = response.withHeader("Content-Security-Policy", PAGE_POLICY)
                .withHeader("Referrer-Policy", "no-referrer");
        }
        return response;
    }

    private static Response notFound(final String path)
    {
        return Response.text(404, "no dashboard file " + path + "\n").withHeader("Cache-Control", "no-cache");
    }

    /**
     * @return the version of a WebJar on the class path (from its Maven properties), or null.
     */
    private String webjarVersion(final String name)
    {
        final String known = webjarVersions.get(name);
        if (known != null)
        {
            return known.isEmpty() ? null : known;
        }
        String version = "";
        for (final String group : new String[] {"org.webjars.npm", "org.webjars"})
        {
            try (InputStream in = loader.getResourceAsStream("META-INF/maven/" + group + "/" + name +
                "/pom.properties"))
            {
                if (in != null)
                {
                    final Properties p = new Properties();
                    p.load(in);
                    version = p.getProperty("version", "");
                    break;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read the version of WebJar " + name, ex);
            }
        }
        webjarVersions.put(name, version);
        return version.isEmpty() ? null : version;
    }

    private Asset asset(final String resource)
    {
        final Asset cached = cache.get(resource);
        if (cached != null)
        {
            return cached;
        }
        try (InputStream in = loader.getResourceAsStream(resource))
        {
            if (in == null)
            {
                return null;
            }
            final byte[] body = in.readAllBytes();
            final Asset asset = new Asset(body, contentType(resource), etag(body));
            cache.put(resource, asset);
            return asset;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read dashboard file " + resource, ex);
        }
    }

    static String contentType(final String resource)
    {
        final int dot = resource.lastIndexOf('.');
        final String ext = dot < 0 ? "" : resource.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static String etag(final byte[] body)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
