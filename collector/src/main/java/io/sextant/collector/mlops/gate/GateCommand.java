package io.sextant.collector.mlops.gate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sextant.collector.mlops.registry.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code sextant gate --model M --candidate V --baseline ALIAS_OR_VERSION --rules FILE --evidence FILE
 * [--registry AUDIT_DIR] [--json OUT]}: evaluates the gate, prints the report, writes the JSON result, and
 * returns 0 when the gate passes, 1 when it fails, 2 when the arguments or files are unusable.
 *
 * <p>With {@code --registry} the baseline alias is resolved from the registry (rebuilt read-only from the
 * audit journal); otherwise from the evidence file's {@code aliases}. The CLI and the HTTP endpoint will
 * call {@link #run} with a live evidence source once wired.
 */
public final class GateCommand {

    public static final int PASS = 0;
    public static final int FAIL = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = "usage: sextant gate --model M --candidate V --baseline ALIAS_OR_VERSION "
        + "--rules FILE --evidence FILE [--registry AUDIT_DIR] [--json OUT]";

    private static final Set<String> OPTIONS = Set.of("model", "candidate", "baseline", "rules", "evidence",
        "registry", "json");

    /** Pretty JSON in which a missing value (NaN) is {@code null}, not the string "NaN". */
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
        .addModule(new SimpleModule().addSerializer(Double.TYPE, new NanAsNull()).addSerializer(Double.class, new NanAsNull()))
        .build();

    private static final class NanAsNull extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        NanAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    private GateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("bad argument '" + args[i] + "'\n" + USAGE_TEXT);
                return USAGE;
            }
            String key = args[i].substring(2);
            if (!OPTIONS.contains(key)) {
                err.println("unknown option '" + args[i] + "'\n" + USAGE_TEXT);
                return USAGE;
            }
            opts.put(key, args[++i]);
        }
        for (String required : new String[] {"model", "candidate", "baseline", "rules", "evidence"}) {
            if (!opts.containsKey(required)) {
                err.println("missing --" + required + "\n" + USAGE_TEXT);
                return USAGE;
            }
        }
        try {
            GateRules rules = GateRules.read(Path.of(opts.get("rules")));
            GateEvidenceSource source = FileEvidenceSource.read(Path.of(opts.get("evidence")));
            if (opts.containsKey("registry")) {
                source = withRegistry(source, ModelRegistry.readOnly(Path.of(opts.get("registry"))));
            }
            GateResult result = GateEvaluator.evaluate(source, opts.get("model"), opts.get("candidate"),
                opts.get("baseline"), rules);
            out.print(result.report());
            String json = JSON.writeValueAsString(result);
            if (opts.containsKey("json")) {
                Files.writeString(Path.of(opts.get("json")), json + "\n");
            } else {
                out.println(json);
            }
            return result.passed() ? PASS : FAIL;
        } catch (IOException | IllegalArgumentException e) {
            err.println("gate: " + e.getMessage());
            return USAGE;
        }
    }

    private static GateEvidenceSource withRegistry(GateEvidenceSource evidence, ModelRegistry registry) {
        return new GateEvidenceSource() {
            @Override
            public Optional<GateEvidence> evidence(String model, String version) {
                return evidence.evidence(model, version);
            }

            @Override
            public Optional<String> resolve(String model, String versionOrAlias) {
                Optional<String> r = registry.resolve(model, versionOrAlias);
                return r.isPresent() ? r : evidence.resolve(model, versionOrAlias);
            }
        };
    }
}
