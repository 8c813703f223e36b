package io.sextant.collector.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP JSON differs from the canonical protobuf JSON mapping in one way that matters: trace and span
 * ids are hex strings, not base64. This class rewrites those fields before handing the document to
 * protobuf's {@link JsonFormat} (which accepts both lowerCamelCase and original field names).
 */
final class OtlpJson
{
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
        "parent_span_id");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpJson()
    {
    }

    static void merge(final byte[] body, final Message.Builder builder) throws IOException
    {
        final JsonNode root = MAPPER.readTree(body);
        if (root == null || !root.isObject())
        {
            throw new IOException("the body is not a JSON object");
        }
        rewriteIds(root);
        PARSER.merge(MAPPER.writeValueAsString(root), builder);
    }

    private static void rewriteIds(final JsonNode node)
    {
        if (node instanceof ObjectNode)
        {
            final ObjectNode object = (ObjectNode)node;
            final Map<String, JsonNode> replacements = new java.util.HashMap<>();
            for (final Map.Entry<String, JsonNode> field : object.properties())
            {
                final JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual())
                {
                    final String text = value.asText();
                    if (!text.isEmpty() && text.length() % 2 == 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0))
                    {
                        replacements.put(field.getKey(),
                            new TextNode(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(text))));
                    }
                }
                else
                {
                    rewriteIds(value);
                }
            }
            replacements.forEach(object::set);
        }
        else if (node instanceof ArrayNode)
        {
            for (final JsonNode element : node)
            {
                rewriteIds(element);
            }
        }
    }

    static byte[] print(final Message message) throws IOException
    {
        return JsonFormat.printer().omittingInsignificantWhitespace().print(message)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
