package dev.divergence.registry.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Compilers before Java 5 wrote an unqualified call of an inherited static method with the declaring class as its
 * owner (JUnit 3's {@code fail(..)} in a {@code TestCase} subclass: {@code junit/framework/Assert.fail}); javac since
 * writes the class the call is made through. Only that shape, in an old class file and towards a library class, is
 * accounted for; everything else the source does not name stays beyond it.
 */
class JavaSourceReferencesTest {

    private static final String SOURCE = "package org.acme;\n\nimport junit.framework.TestCase;\n\n"
            + "public class MyTest extends TestCase {\n    public void testExit() {\n        fail(\"x\");\n    }\n"
            + "    static void exit() {\n    }\n}\n";

    /** MyTest's testExit calling {@code owner.name} statically, in a class file of {@code version}. */
    private static CompiledClass compiled(int version, String owner, String name) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, Opcodes.ACC_PUBLIC, "org/acme/MyTest", null, "junit/framework/TestCase", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "testExit", "()V", null, null);
        mv.visitCode();
        mv.visitLdcInsn("x");
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, name, "(Ljava/lang/String;)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return CompiledClass.read(cw.toByteArray()).orElseThrow();
    }

    private static Set<String> unnamed(CompiledClass c) {
        return JavaSourceReferences.unnamed(c, SourceNames.of(SOURCE, "src/java/org/acme/MyTest.java"), "MyTest");
    }

    @Test
    void anOldCompilersOwnerOfAnInheritedStaticCallIsTheSourcesCall() {
        for (int version : new int[] {Opcodes.V1_1, Opcodes.V1_2, Opcodes.V1_3, Opcodes.V1_4}) {
            assertEquals(Set.of(), unnamed(compiled(version, "junit/framework/Assert", "fail")), "version " + version);
        }
        // as javac writes it today, through the subclass
        assertEquals(Set.of(), unnamed(compiled(Opcodes.V1_8, "org/acme/MyTest", "fail")));
    }

    @Test
    void elsewhereAnUnnamedOwnerStaysBeyondTheSource() {
        // a Java 5+ class file names the qualifying type: an owner the source never names is another source's call
        assertEquals(Set.of("S junit/framework/Assert.fail"), unnamed(compiled(Opcodes.V1_5, "junit/framework/Assert", "fail")));
        // a JDK class must be named by the source whatever the class file's age: the name `exit` alone is not enough
        assertEquals(Set.of("S java/lang/System.exit"), unnamed(compiled(Opcodes.V1_4, "java/lang/System", "exit")));
        // the method's name must be named too
        assertEquals(Set.of("S junit/framework/Assert.assertNull"),
                unnamed(compiled(Opcodes.V1_4, "junit/framework/Assert", "assertNull")));
    }
}
