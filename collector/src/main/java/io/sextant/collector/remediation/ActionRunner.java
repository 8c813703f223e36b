package io.sextant.collector.remediation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.ingest.AgentCommands;
import io.sextant.collector.ingest.SessionState;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.CommandStatus;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out one action on a remediation worker thread and says what came back. Every wait is bounded
 * by the rule's timeout; a timeout, an error answer or a refusal is a {@link Failure}.
 */
final class ActionRunner
{
    /** An action that did not succeed; the message is the action's result. */
    static final class Failure extends Exception
    {
        private static final long serialVersionUID = 1L;

        Failure(final String message)
        {
            super(message);
        }
    }

    private static final int MAX_RESPONSE_CHARS = 2_000;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    private final AgentCommands agents;
    private final ModelRollback models;

    ActionRunner(final AgentCommands agents, final ModelRollback models)
    {
        this.agents = agents;
        this.models = models;
    }

    /**
     * @return the result text on success.
     * @throws Failure when the action failed (the message says why).
     * @throws InterruptedException when the collector is stopping.
     */
    String run(final Rule rule, final Action action) throws Failure, InterruptedException
    {
        final ActionSpec spec = rule.action();
        if (spec instanceof ActionSpec.Webhook w)
        {
            return webhook(w, action);
        }
        if (spec instanceof ActionSpec.AgentCommand c)
        {
            return agentCommand(c, action);
        }
        return rollback((ActionSpec.ModelRollback)spec, action);
    }

    /** The JSON a webhook receives. */
    static Map<String, Object> payload(final Action action)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "sextant");
        m.put("type", "remediation.action");
        m.put("action", action.json());
        return m;
    }

    private String webhook(final ActionSpec.Webhook w, final Action action) throws Failure, InterruptedException
    {
        final byte[] body;
        try
        {
            body = json.writeValueAsBytes(payload(action));
        }
        catch (final JsonProcessingException ex)
        {
            throw new Failure("could not write the payload: " + ex.getOriginalMessage());
        }
        final HttpRequest.Builder request = HttpRequest.newBuilder(w.url())
            .timeout(Duration.ofMillis(w.timeoutMillis()))
            .header("Content-Type", "application/json")
            .header("User-Agent", "sextant-collector")
            .header("X-Sextant-Action", action.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        w.headers().forEach(request::header);
        final CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request.build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        final HttpResponse<String> response;
        try
        {
            // The request timeout covers the answer's head; this bounds the whole exchange.
            response = sent.get(w.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            sent.cancel(true);
            throw new Failure("webhook " + w.url() + " did not answer within " + w.timeoutMillis() + " ms");
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException)
            {
                throw new Failure("webhook " + w.url() + " did not answer within " + w.timeoutMillis() + " ms");
            }
            throw new Failure("webhook " + w.url() + " failed: " + cause);
        }
        catch (final InterruptedException ex)
        {
            sent.cancel(true);
            throw ex;
        }
        final String text = "HTTP " + response.statusCode() + (response.body().isEmpty() ? "" :
            ": " + cut(response.body(), MAX_RESPONSE_CHARS));
        if (response.statusCode() / 100 != 2)
        {
            throw new Failure("webhook " + w.url() + " answered " + text);
        }
        return text;
    }

    private String agentCommand(final ActionSpec.AgentCommand c, final Action action)
        throws Failure, InterruptedException
    {
        if (agents == null)
        {
            throw new Failure("this collector has no agent ingest to send commands through");
        }
        final String agentId = String.valueOf(action.detail().getOrDefault("agent", ""));
        final String service = String.valueOf(action.detail().getOrDefault("service", ""));
        final SessionState session = agents.pick(agentId, service);
        if (session == null)
        {
            throw new Failure("no connected agent " + (agentId.isEmpty() ? "" : agentId + " ") + "of service '" +
                service + "'");
        }
        final CompletableFuture<CommandResult> sent = agents.send(session, c.command(), c.arguments());
        final CommandResult result;
        try
        {
            result = sent.get(c.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            sent.cancel(true);
            throw new Failure("agent " + session.agentId() + " (" + session.service() + ") did not answer " +
                c.command() + " within " + c.timeoutMillis() + " ms");
        }
        catch (final ExecutionException ex)
        {
            throw new Failure("sending " + c.command() + " to agent " + session.agentId() + " failed: " +
                ex.getCause().getMessage());
        }
        catch (final InterruptedException ex)
        {
            sent.cancel(true);
            throw ex;
        }
        final String text = "agent " + session.agentId() + " (" + session.service() + ") answered " +
            result.status() + (result.truncated() ? " (output truncated)" : "") + ":\n" + result.output();
        if (result.status() != CommandStatus.OK)
        {
            throw new Failure(text);
        }
        return text;
    }

    private String rollback(final ActionSpec.ModelRollback r, final Action action) throws Failure
    {
        if (models == null)
        {
            throw new Failure("this collector has no model registry to roll back in");
        }
        final String model = String.valueOf(action.detail().get("model"));
        try
        {
            // The registry is in-process: the call does not block on the network.
            return models.rollback(model, r.alias(), r.version(), "remediation:" + action.rule(),
                "remediation action " + action.id() + " for " + action.subjectId());
        }
        catch (final RuntimeException ex)
        {
            throw new Failure("rollback of alias " + r.alias() + " of model " + model + " refused: " + ex.getMessage());
        }
    }

    static String cut(final String text, final int max)
    {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " characters)";
    }
}
