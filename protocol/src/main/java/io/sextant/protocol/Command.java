package io.sextant.protocol;

import java.util.Map;

/**
 * COMMAND: the collector asks an agent to do something.
 *
 * @param commandId chosen by the collector; echoed in the COMMAND_RESULT.
 * @param kind      what to do.
 * @param arguments named arguments, for example {@code logger} and {@code level}.
 */
public record Command(long commandId, CommandKind kind, Map<String, String> arguments)
{
    public void encode(final WireWriter writer)
    {
        writer.putLong(commandId).putByte(kind.code());
        Pairs.putText(writer, arguments);
    }

    public static Command decode(final WireReader reader)
    {
        final long commandId = reader.getLong("commandId");
        final int code = reader.getUByte("kind");
        final CommandKind kind = CommandKind.of(code);
        if (kind == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "unknown command kind " + code);
        }
        return new Command(commandId, kind, Pairs.getText(reader, "arguments"));
    }
}
