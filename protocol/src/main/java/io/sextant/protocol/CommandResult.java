package io.sextant.protocol;

/**
 * COMMAND_RESULT: the outcome of a COMMAND, sequenced so that it is journaled like other data.
 *
 * @param commandId the command's id.
 * @param status    outcome.
 * @param truncated true when the output was cut to fit the frame.
 * @param output    the result (for example a thread dump) or the reason for failure.
 */
public record CommandResult(long commandId, CommandStatus status, boolean truncated, String output)
{
    public void encode(final WireWriter writer)
    {
        writer.putLong(commandId).putByte(status.code()).putByte(truncated ? 1 : 0).putString(output);
    }

    public static CommandResult decode(final WireReader reader)
    {
        final long commandId = reader.getLong("commandId");
        final int code = reader.getUByte("status");
        final CommandStatus status = CommandStatus.of(code);
        if (status == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "unknown command status " + code);
        }
        return new CommandResult(commandId, status, reader.getUByte("truncated") != 0, reader.getString("output"));
    }
}
