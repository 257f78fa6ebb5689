package dev.divergence.registry.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * junit 3.8's classes (built by ecj for an old target) inline each class literal as
 * {@code ldc "a.B"; invokestatic Class.forName; dup; putstatic <this>.class$N}: that idiom is no dynamic class loading,
 * while a forName whose result goes anywhere else, or whose name is not a constant, still is.
 */
class CompiledClassTest {

    private static byte[] classWith(Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_2, Opcodes.ACC_PUBLIC, "org/acme/Logo", null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, "class$0", "Ljava/lang/Class;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "load", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        body.accept(mv);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void forName(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", false);
    }

    @Test
    void anInlinedClassLiteralIsNoClassLoading() {
        byte[] bytes = classWith(mv -> {
            mv.visitLdcInsn("junit.runner.BaseTestRunner");
            forName(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Logo", "class$0", "Ljava/lang/Class;");
        });
        assertFalse(CompiledClass.read(bytes).orElseThrow().calls().contains("java/lang/Class.forName"));
    }

    /** A class over {@code superName} with one method flagged ACC_BRIDGE that calls the superclass's {@code name}. */
    private static byte[] bridgeOver(String superName, String name, String descriptor) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "org/acme/Repo", null, superName, null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC, name,
                descriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, name, descriptor, false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void aBridgeOverTheProjectsOwnSuperclassIsNoCallButOneOverAJdkClassIs() {
        // javac's visibility bridge (bcel's ClassPathRepository.loadClass) delegates to the package-private superclass
        String own = "(Ljava/lang/String;)Ljava/lang/Object;";
        assertFalse(CompiledClass.read(bridgeOver("org/acme/Base", "loadClass", own)).orElseThrow().calls()
                .contains("org/acme/Base.loadClass"));
        // the slack: a method flagged ACC_BRIDGE (the JVM does not care) calling ClassLoader.loadClass is a call of it
        String jdk = "(Ljava/lang/String;)Ljava/lang/Class;";
        assertTrue(CompiledClass.read(bridgeOver("java/lang/ClassLoader", "loadClass", jdk)).orElseThrow().calls()
                .contains("java/lang/ClassLoader.loadClass"));
    }

    private static void componentType(MethodVisitor mv) {
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getComponentType", "()Ljava/lang/Class;", false);
    }

    /** The shape Eclipse's compiler of the JDK 1.4 years gives {@code String.class} (commons-dbcp's 2003 nightlies). */
    @Test
    void aClassLiteralLoadedThroughAnArrayDescriptorIsNoClassLoading() {
        byte[] bytes = classWith(mv -> {
            mv.visitLdcInsn("[Ljava.lang.String;");
            forName(mv);
            componentType(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Logo", "class$0", "Ljava/lang/Class;");
        });
        CompiledClass c = CompiledClass.read(bytes).orElseThrow();
        assertFalse(c.calls().contains("java/lang/Class.forName"), c.calls().toString());
        assertFalse(c.calls().contains("java/lang/Class.getComponentType"), c.calls().toString());
    }

    @Test
    void anArrayDescriptorsClassKeptElsewhereOrAPlainNamesComponentTypeIsClassLoading() {
        byte[] returned = classWith(mv -> {
            mv.visitLdcInsn("[Ljava.lang.ProcessBuilder;");
            forName(mv);
            componentType(mv);
        });
        assertTrue(CompiledClass.read(returned).orElseThrow().calls().contains("java/lang/Class.forName"));
        byte[] plain = classWith(mv -> {
            mv.visitLdcInsn("java.lang.ProcessBuilder");
            forName(mv);
            componentType(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Logo", "class$0", "Ljava/lang/Class;");
        });
        assertTrue(CompiledClass.read(plain).orElseThrow().calls().contains("java/lang/Class.forName"));
        byte[] twice = classWith(mv -> {
            mv.visitLdcInsn("[[Ljava.lang.ProcessBuilder;");
            forName(mv);
            componentType(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Logo", "class$0", "Ljava/lang/Class;");
        });
        assertTrue(CompiledClass.read(twice).orElseThrow().calls().contains("java/lang/Class.forName"));
    }

    @Test
    void aForNameKeptElsewhereOrOfAComputedNameIsClassLoading() {
        byte[] returned = classWith(mv -> {
            mv.visitLdcInsn("java.lang.ProcessBuilder");
            forName(mv);
        });
        assertTrue(CompiledClass.read(returned).orElseThrow().calls().contains("java/lang/Class.forName"));
        byte[] otherField = classWith(mv -> {
            mv.visitLdcInsn("java.lang.ProcessBuilder");
            forName(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Other", "class$0", "Ljava/lang/Class;");
        });
        assertTrue(CompiledClass.read(otherField).orElseThrow().calls().contains("java/lang/Class.forName"));
        byte[] computed = classWith(mv -> {
            mv.visitLdcInsn("java.lang.");
            mv.visitLdcInsn("ProcessBuilder");
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat", "(Ljava/lang/String;)Ljava/lang/String;", false);
            forName(mv);
            mv.visitInsn(Opcodes.DUP);
            mv.visitFieldInsn(Opcodes.PUTSTATIC, "org/acme/Logo", "class$0", "Ljava/lang/Class;");
        });
        assertTrue(CompiledClass.read(computed).orElseThrow().calls().contains("java/lang/Class.forName"));
    }
}
