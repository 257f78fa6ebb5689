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
 * takes a handle to ({@code owner.name}, internal names; with the descriptor in {@link #typedCalls}), the classes its
 * code uses (instantiates, casts to, calls, reads fields of, loads as constants), and — for {@code module-info.class} — the service providers its
 * {@code provides} clauses register (service → providers, binary names with '.'). The synthetic {@code class$} method
 * javac (target &lt; 1.5) writes for a class literal ({@code Class.forName} of its argument, nothing else) is left out
 * of the calls: the class literal is no reflection the source wrote.
 */
record CompiledClass(String name, Optional<String> superName, List<String> interfaces, Set<String> calls,
                     Set<String> types, Map<String, List<String>> provides, Set<String> refs, int major,
                     Set<String> typedCalls) {

    /**
     * Kinds of {@link #refs}: each ref is a kind letter, a space and {@code owner.name} (a class for {@link #NEW} and
     * {@link #CONSTANT}). Static calls, other calls ({@code invokevirtual/interface/special}), field reads and writes,
     * instantiation ({@code new}, a constructor reference), a class constant ({@code ldc}) and an invokedynamic
     * bootstrap method. A method handle ({@code ldc} or a bootstrap argument) counts as the access it stands for.
     */
    static final char STATIC = 'S';
    static final char CALL = 'V';
    static final char FIELD = 'F';
    static final char NEW = 'N';
    static final char CONSTANT = 'C';
    static final char BOOTSTRAP = 'B';

    /** Empty when ASM cannot read the bytes (not a class file, or a class file version newer than it knows). */
    static Optional<CompiledClass> read(byte[] bytes) {
        try {
            ClassReader reader = new ClassReader(bytes);
            Collector c = new Collector();
            reader.accept(c, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
            return Optional.of(new CompiledClass(c.name, Optional.ofNullable(c.superName), c.interfaces, c.calls,
                    c.types, c.provides, c.refs, c.major, c.typedCalls));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * The string constants the class's code loads ({@code ldc} of a {@code String}) and its fields' constant values:
     * what the compiler took from string literals (its own source's, or a constant of another class it inlined).
     * Empty when the class cannot be read.
     */
    static Set<String> strings(byte[] bytes) {
        Set<String> out = new TreeSet<>();
        try {
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public org.objectweb.asm.FieldVisitor visitField(int access, String name, String descriptor,
                                                                 String signature, Object value) {
                    if (value instanceof String v) {
                        out.add(v);
                    }
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof String v) {
                                out.add(v);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        } catch (RuntimeException unreadable) {
            return Set.of();
        }
        return out;
    }

    /**
     * Whether the bytes are a class file (magic {@code CAFEBABE}) whose major version is newer than the class reader
     * supports: refused for its version, not for its content.
     */
    static boolean newerThanReader(byte[] bytes) {
        if (bytes.length < 8 || (bytes[0] & 0xff) != 0xca || (bytes[1] & 0xff) != 0xfe || (bytes[2] & 0xff) != 0xba
                || (bytes[3] & 0xff) != 0xbe) {
            return false;
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        return major > LATEST_READ_MAJOR;
    }

    /**
     * Whether the class file's header and constant pool read (a class the JVM could begin to load): a file that is no
     * class file at all, or one cut inside its constant pool, the JVM refuses as well.
     */
    static boolean headerReadable(byte[] bytes) {
        try {
            return new ClassReader(bytes).getClassName() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The newest class-file major version the class reader accepts (ASM 9.10.1: Java 27, major 71). */
    private static final int LATEST_READ_MAJOR = Opcodes.V27 & 0xffff;

    /**
     * The class file's {@code SourceFile} attribute (JVMS 4.7.10: the name of the file javac compiled it from), empty
     * when absent or unreadable. The publisher writes it: it can tell that a class is not from a file, never that it is.
     */
    static Optional<String> sourceFile(byte[] bytes) {
        try {
            String[] file = new String[1];
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visitSource(String source, String debug) {
                    file[0] = source;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
            return Optional.ofNullable(file[0]);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** What javac's (and ecj's) {@code class$} does: Class.forName, and a NoClassDefFoundError with the message. */
    private static final String FOR_NAME = "java/lang/Class.forName";
    private static final String COMPONENT_TYPE = "java/lang/Class.getComponentType";

    private static final Set<String> CLASS_LITERAL_CALLS = Set.of("java/lang/Class.forName",
            "java/lang/NoClassDefFoundError.<init>", "java/lang/Throwable.getMessage",
            "java/lang/ClassNotFoundException.getMessage", "java/lang/NoClassDefFoundError.initCause",
            "java/lang/Throwable.initCause");

    private static final class Collector extends ClassVisitor {
        String name = "";
        String superName;
        List<String> interfaces = List.of();
        final Set<String> calls = new TreeSet<>();
        /** The calls with their descriptors ({@code owner.name(args)return}): which overload was called. */
        final Set<String> typedCalls = new TreeSet<>();
        final Set<String> types = new TreeSet<>();
        final Map<String, List<String>> provides = new LinkedHashMap<>();
        final Set<String> refs = new TreeSet<>();
        int major;

        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.major = version & 0xFFFF;
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
            boolean classLiteral = name.equals("class$") && descriptor.equals("(Ljava/lang/String;)Ljava/lang/Class;")
                    && (access & Opcodes.ACC_STATIC) != 0;
            Set<String> methodCalls = new TreeSet<>();
            Set<String> methodTypedCalls = new TreeSet<>();
            Set<String> methodTypes = new TreeSet<>();
            Set<String> methodRefs = new TreeSet<>();
            // a bridge javac writes (generic or visibility: a public class over a package-private one's public
            // methods) calls the method of the same name it stands for
            boolean bridge = (access & Opcodes.ACC_BRIDGE) != 0;
            String bridged = name;
            return new MethodVisitor(Opcodes.ASM9) {
                /*
                 * ecj and jikes, for targets below 1.5, inline a class literal instead of calling a class$ method:
                 * ldc "a.B"; invokestatic Class.forName; dup; putstatic <this class>.class$N (junit 3.8's classes).
                 * Stage 1: a constant string was pushed; 2: forName took it; 3: dup. Anything else breaks the idiom,
                 * and a forName held back is then counted as any other. Eclipse's compiler of the JDK 1.4 years
                 * loads the class through an array descriptor so that it is not initialised:
                 * ldc "[La.B;"; forName; invokevirtual Class.getComponentType; dup; putstatic class$N (commons-dbcp's
                 * 2003 nightlies): stage 4 is that getComponentType, taken once after an array descriptor.
                 */
                int literal;
                boolean arrayDescriptor;

                void other() {
                    if (literal >= 2) {
                        methodCalls.add(FOR_NAME);
                        methodRefs.add(STATIC + " " + FOR_NAME);
                    }
                    if (literal == 4) {
                        methodCalls.add(COMPONENT_TYPE);
                    }
                    literal = 0;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                            boolean isInterface) {
                    if (literal == 1 && opcode == Opcodes.INVOKESTATIC && FOR_NAME.equals(owner + "." + name)
                            && descriptor.equals("(Ljava/lang/String;)Ljava/lang/Class;")) {
                        literal = 2;
                        methodTypes.add(owner);
                        return;
                    }
                    if (literal == 2 && arrayDescriptor && opcode == Opcodes.INVOKEVIRTUAL
                            && COMPONENT_TYPE.equals(owner + "." + name) && descriptor.equals("()Ljava/lang/Class;")) {
                        literal = 4;
                        return;
                    }
                    other();
                    // a bridge's call of the method it stands for, on its own class or its superclass (a visibility
                    // bridge of a public class over a package-private one: bcel's ClassPathRepository.loadClass calls
                    // AbstractClassPathRepository.loadClass), is that method, not a use of the API its name recalls
                    // (never on a JDK class: javac writes visibility bridges over the project's own package-private
                    // classes, so a "bridge" calling ClassLoader.defineClass is a call of defineClass)
                    boolean delegation = bridge && name.equals(bridged)
                            && (owner.equals(Collector.this.name) || owner.equals(Collector.this.superName))
                            && !owner.startsWith("java/") && !owner.startsWith("javax/") && !owner.startsWith("jdk/")
                            && !owner.startsWith("sun/");
                    if (!delegation) {
                        methodCalls.add(owner + "." + name);
                    }
                    methodTypedCalls.add(owner + "." + name + descriptor);
                    methodTypes.add(owner);
                    if (!(bridge && name.equals(bridged))) {
                        methodRefs.add((opcode == Opcodes.INVOKESTATIC ? STATIC : CALL) + " " + owner + "." + name);
                    }
                }

                void handle(Handle h) {
                    int tag = h.getTag();
                    if (tag > Opcodes.H_PUTSTATIC) {
                        methodTypedCalls.add(h.getOwner() + "." + h.getName() + h.getDesc());
                    }
                    char kind = tag <= Opcodes.H_PUTSTATIC ? FIELD : tag == Opcodes.H_INVOKESTATIC ? STATIC : CALL;
                    methodRefs.add(kind + " " + h.getOwner() + "." + h.getName());
                    if (tag == Opcodes.H_NEWINVOKESPECIAL) {
                        methodRefs.add(NEW + " " + h.getOwner());
                    }
                }

                @Override
                public void visitInsn(int opcode) {
                    if ((literal == 2 || literal == 4) && opcode == Opcodes.DUP) {
                        literal = 3;
                        return;
                    }
                    other();
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    other();
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    other();
                }

                @Override
                public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                    other();
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    other();
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, org.objectweb.asm.Label dflt,
                                                 org.objectweb.asm.Label... labels) {
                    other();
                }

                @Override
                public void visitLookupSwitchInsn(org.objectweb.asm.Label dflt, int[] keys,
                                                  org.objectweb.asm.Label[] labels) {
                    other();
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    other();
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    other();
                    methodTypes.add(type);
                    if (opcode == Opcodes.NEW) {
                        methodRefs.add(NEW + " " + type);
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                    boolean cached = literal == 3 && opcode == Opcodes.PUTSTATIC && owner.equals(Collector.this.name)
                            && name.startsWith("class$") && descriptor.equals("Ljava/lang/Class;");
                    if (cached) {
                        literal = 0; // a class literal: the forName held back is not counted
                    } else {
                        other();
                    }
                    methodTypes.add(owner);
                    if (!cached) {
                        methodRefs.add(FIELD + " " + owner + "." + name);
                    }
                }

                @Override
                public void visitEnd() {
                    other();
                    if (classLiteral && CLASS_LITERAL_CALLS.containsAll(methodCalls)) {
                        return;
                    }
                    calls.addAll(methodCalls);
                    typedCalls.addAll(methodTypedCalls);
                    types.addAll(methodTypes);
                    refs.addAll(methodRefs);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
                    other();
                    methodRefs.add(BOOTSTRAP + " " + bootstrap.getOwner() + "." + bootstrap.getName());
                    for (Object a : args) {
                        if (a instanceof Handle h) { // a method reference (Runtime::exec)
                            methodCalls.add(h.getOwner() + "." + h.getName());
                            methodTypes.add(h.getOwner());
                            handle(h);
                        } else if (a instanceof org.objectweb.asm.Type t && t.getSort() == org.objectweb.asm.Type.OBJECT) {
                            methodRefs.add(CONSTANT + " " + t.getInternalName());
                        }
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    other();
                    if (value instanceof String text) {
                        literal = 1;
                        arrayDescriptor = text.matches("\\[L[\\w.$]+;");
                    }
                    if (value instanceof Handle h) {
                        methodCalls.add(h.getOwner() + "." + h.getName());
                        methodTypes.add(h.getOwner());
                        handle(h);
                    } else if (value instanceof org.objectweb.asm.Type t && t.getSort() == org.objectweb.asm.Type.OBJECT) {
                        methodTypes.add(t.getInternalName());
                        methodRefs.add(CONSTANT + " " + t.getInternalName());
                    } else if (value instanceof org.objectweb.asm.ConstantDynamic d) {
                        methodRefs.add(BOOTSTRAP + " " + d.getBootstrapMethod().getOwner() + "."
                                + d.getBootstrapMethod().getName());
                    }
                }
            };
        }
    }
}
