package dev.divergence.registry.maven;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.ModuleVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a class file declares and calls, read with ASM: its superclass and interfaces, the methods its code calls or
 * takes a handle to ({@code owner.name}, internal names), and — for {@code module-info.class} — the service
 * providers its {@code provides} clauses register (service → providers, binary names with '.').
 */
record CompiledClass(String name, Optional<String> superName, List<String> interfaces, Set<String> calls,
                     Map<String, List<String>> provides) {

    /** Empty when ASM cannot read the bytes (not a class file, or a class file version newer than it knows). */
    static Optional<CompiledClass> read(byte[] bytes) {
        try {
            ClassReader reader = new ClassReader(bytes);
            Collector c = new Collector();
            reader.accept(c, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
            return Optional.of(new CompiledClass(c.name, Optional.ofNullable(c.superName), c.interfaces, c.calls,
                    c.provides));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static final class Collector extends ClassVisitor {
        String name = "";
        String superName;
        List<String> interfaces = List.of();
        final Set<String> calls = new TreeSet<>();
        final Map<String, List<String>> provides = new LinkedHashMap<>();

        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
        }

        @Override
        public ModuleVisitor visitModule(String name, int access, String version) {
            return new ModuleVisitor(Opcodes.ASM9) {
                @Override
                public void visitProvide(String service, String... providers) {
                    List<String> list = provides.computeIfAbsent(service.replace('/', '.'), k -> new ArrayList<>());
                    for (String p : providers) {
                        list.add(p.replace('/', '.'));
                    }
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                            boolean isInterface) {
                    calls.add(owner + "." + name);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
                    for (Object a : args) {
                        if (a instanceof Handle h) { // a method reference (Runtime::exec)
                            calls.add(h.getOwner() + "." + h.getName());
                        }
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    if (value instanceof Handle h) {
                        calls.add(h.getOwner() + "." + h.getName());
                    }
                }
            };
        }
    }
}
