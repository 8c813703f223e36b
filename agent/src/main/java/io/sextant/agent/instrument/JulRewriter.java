package io.sextant.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites {@code java.util.logging.Logger} so that {@code log(LogRecord)}, the method every JUL
 * logging call passes through, starts with {@code LogBridge.jul(this, record)}. One static call
 * and nothing else: the bridge method catches everything itself, so the inserted code has no
 * branch, leaves the operand stack empty and needs no new stack map frame, and no member is added
 * (a retransformation may not add one).
 *
 * <p>Plain ASM (the copy inside Byte Buddy) rather than Byte Buddy's {@code Advice}: reading and
 * writing one class this way loads a few dozen classes, where Byte Buddy's type model and agent
 * builder load about a thousand and cost about a second of CPU at start-up. Byte Buddy is still
 * used, lazily, for Logback, Log4j 2 and Smile, whose advice refers to the libraries' own types.
 */
final class JulRewriter
{
    static final String LOGGER = "java/util/logging/Logger";
    static final String BRIDGE = "io/sextant/agent/bridge/LogBridge";
    static final String BRIDGE_METHOD = "jul";
    static final String BRIDGE_DESCRIPTOR = "(Ljava/util/logging/Logger;Ljava/util/logging/LogRecord;)V";
    private static final String LOG_DESCRIPTOR = "(Ljava/util/logging/LogRecord;)V";

    private JulRewriter()
    {
    }

    /**
     * @param classFile the bytes of {@code java.util.logging.Logger}.
     * @return the rewritten bytes, or null when the class has no {@code log(LogRecord)} to rewrite.
     */
    static byte[] rewrite(final byte[] classFile)
    {
        final ClassReader reader = new ClassReader(classFile);
        final ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        final boolean[] found = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer)
        {
            @Override
            public MethodVisitor visitMethod(final int access, final String name, final String descriptor,
                final String signature, final String[] exceptions)
            {
                final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!"log".equals(name) || !LOG_DESCRIPTOR.equals(descriptor) || (access & Opcodes.ACC_STATIC) != 0 ||
                    (access & Opcodes.ACC_ABSTRACT) != 0)
                {
                    return next;
                }
                found[0] = true;
                return new MethodVisitor(Opcodes.ASM9, next)
                {
                    @Override
                    public void visitCode()
                    {
                        super.visitCode();
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitVarInsn(Opcodes.ALOAD, 1);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, BRIDGE_METHOD, BRIDGE_DESCRIPTOR, false);
                    }
                };
            }
        }, 0);
        return found[0] ? writer.toByteArray() : null;
    }
}
