package io.sextant.collector.remediation;

import io.sextant.protocol.CommandKind;

import java.net.URI;
import java.util.Map;

/**
 * What a rule does when it fires: one of three kinds, each with a time limit.
 */
sealed interface ActionSpec
{
    /** @return the kind as written in rule files and the API. */
    String kind();

    /** @return how long one run may take before it counts as FAILED. */
    long timeoutMillis();

    /**
     * POST a JSON payload (the action and its subject) to a URL; a 2xx answer within the timeout is success.
     *
     * @param url     http or https URL
     * @param headers extra request headers (for example an authorisation token)
     */
    record Webhook(URI url, Map<String, String> headers, long timeoutMillis) implements ActionSpec
    {
        @Override
        public String kind()
        {
            return "webhook";
        }
    }

    /**
     * Send a COMMAND to the agent of the subject: the agent whose id is the subject's {@code instance}
     * label when it is connected, else a connected agent of {@code service} (or of the subject's service).
     *
     * @param command   what to ask
     * @param arguments the command's arguments (logger and level for SET_LOG_LEVEL)
     * @param service   a fixed service to target, or "" for the subject's
     */
    record AgentCommand(CommandKind command, Map<String, String> arguments, String service, long timeoutMillis)
        implements ActionSpec
    {
        @Override
        public String kind()
        {
            return "agent-command";
        }
    }

    /**
     * Roll a model alias back to the version it pointed to before (or to a named earlier version).
     *
     * @param model   model name, or "" for the subject's {@code model} label
     * @param alias   the alias, for example {@code production}
     * @param version the earlier version to return to, or "" for the one just before the current
     */
    record ModelRollback(String model, String alias, String version, long timeoutMillis) implements ActionSpec
    {
        @Override
        public String kind()
        {
            return "model-rollback";
        }
    }
}
