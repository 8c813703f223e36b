package io.sextant.agent.ship;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.sextant.agent.AgentLog;

/**
 * Netty's logging inside the agent: warnings and errors go to the agent's own rate-limited stderr
 * logger, everything else is dropped. Installed before any (relocated) Netty class initialises,
 * so Netty never looks for SLF4J, Log4j or JUL and never touches the application's logging.
 */
final class NettyLogging extends AbstractInternalLogger
{
    private static final long serialVersionUID = 1L;

    private NettyLogging(final String name)
    {
        super(name);
    }

    /**
     * Installs the factory; call before any other Netty class is used.
     */
    static void install()
    {
        InternalLoggerFactory.setDefaultFactory(new InternalLoggerFactory()
        {
            @Override
            protected InternalLogger newInstance(final String name)
            {
                return new NettyLogging(name);
            }
        });
    }

    @Override
    public boolean isTraceEnabled()
    {
        return false;
    }

    @Override
    public void trace(final String msg)
    {
    }

    @Override
    public void trace(final String format, final Object arg)
    {
    }

    @Override
    public void trace(final String format, final Object argA, final Object argB)
    {
    }

    @Override
    public void trace(final String format, final Object... arguments)
    {
    }

    @Override
    public void trace(final String msg, final Throwable t)
    {
    }

    @Override
    public boolean isDebugEnabled()
    {
        return false;
    }

    @Override
    public void debug(final String msg)
    {
    }

    @Override
    public void debug(final String format, final Object arg)
    {
    }

    @Override
    public void debug(final String format, final Object argA, final Object argB)
    {
    }

    @Override
    public void debug(final String format, final Object... arguments)
    {
    }

    @Override
    public void debug(final String msg, final Throwable t)
    {
    }

    @Override
    public boolean isInfoEnabled()
    {
        return false;
    }

    @Override
    public void info(final String msg)
    {
    }

    @Override
    public void info(final String format, final Object arg)
    {
    }

    @Override
    public void info(final String format, final Object argA, final Object argB)
    {
    }

    @Override
    public void info(final String format, final Object... arguments)
    {
    }

    @Override
    public void info(final String msg, final Throwable t)
    {
    }

    @Override
    public boolean isWarnEnabled()
    {
        return true;
    }

    @Override
    public void warn(final String msg)
    {
        AgentLog.info("netty: " + msg);
    }

    @Override
    public void warn(final String format, final Object arg)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void warn(final String format, final Object argA, final Object argB)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void warn(final String format, final Object... arguments)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void warn(final String msg, final Throwable t)
    {
        AgentLog.info("netty: " + msg + ": " + t);
    }

    @Override
    public boolean isErrorEnabled()
    {
        return true;
    }

    @Override
    public void error(final String msg)
    {
        AgentLog.info("netty: " + msg);
    }

    @Override
    public void error(final String format, final Object arg)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void error(final String format, final Object argA, final Object argB)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void error(final String format, final Object... arguments)
    {
        AgentLog.info("netty: " + format);
    }

    @Override
    public void error(final String msg, final Throwable t)
    {
        AgentLog.info("netty: " + msg + ": " + t);
    }
}
