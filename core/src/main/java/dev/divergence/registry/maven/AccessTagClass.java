package dev.divergence.registry.maven;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * javac before JDK 11 (and any later javac with {@code --release 8..10}) compiles a call to a private constructor of
 * a nested class by passing an instance of a synthetic, empty class {@code Outer$N} (the "access constructor tag",
 * JDK-8199386; nestmates, JEP 181, made it unnecessary). No source line names it, so it cannot be checked against the
 * outer source like an anonymous class; instead its bytes are checked to be exactly that empty class: a constant pool
 * holding only class and name entries, no interface, field or method (hence no code), and only the attributes javac
 * writes (SourceFile, InnerClasses, EnclosingMethod, Synthetic), whose names are this class, its outers and the outer
 * source file. There is no slack: nothing but those names can appear in it.
 * (JVMS 17 §4.1 ClassFile structure, §4.4 constant pool tags, §4.7 attributes.)
 */
final class AccessTagClass {

    private static final Set<String> ATTRIBUTES = Set.of("SourceFile", "InnerClasses", "EnclosingMethod", "Synthetic",
            "Deprecated");

    private AccessTagClass() {
    }

    /**
     * Whether {@code bytes} is the access-constructor tag class {@code internalName} (e.g.
     * {@code org/acme/Outer$1}) compiled from {@code sourceFile} (e.g. {@code Outer.java}).
     */
    static boolean is(byte[] bytes, String internalName, String sourceFile) {
        try {
            return check(ByteBuffer.wrap(bytes), internalName, sourceFile);
        } catch (RuntimeException e) {
            return false; // truncated or malformed: not the empty class javac writes
        }
    }

    private static boolean check(ByteBuffer in, String internalName, String sourceFile) {
        if (in.getInt() != 0xCAFEBABE) {
            return false;
        }
        in.getShort(); // minor
        in.getShort(); // major
        int count = Short.toUnsignedInt(in.getShort());
        String[] utf8 = new String[count];
        int[] classRef = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = Byte.toUnsignedInt(in.get());
            if (tag == 1) {
                byte[] b = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(b);
                utf8[i] = new String(b, StandardCharsets.UTF_8);
            } else if (tag == 7) {
                classRef[i] = Short.toUnsignedInt(in.getShort());
            } else {
                return false; // a string, number, member or method handle: not an empty tag class
            }
        }
        in.getShort(); // access flags: ACC_SUPER, and ACC_SYNTHETIC from javac 5 on
        String self = className(utf8, classRef, Short.toUnsignedInt(in.getShort()));
        String parent = className(utf8, classRef, Short.toUnsignedInt(in.getShort()));
        if (!internalName.equals(self) || !"java/lang/Object".equals(parent)) {
            return false;
        }
        if (in.getShort() != 0 || in.getShort() != 0 || in.getShort() != 0) {
            return false; // interfaces, fields, methods
        }
        Set<String> allowed = new HashSet<>(ATTRIBUTES);
        allowed.add(sourceFile);
        allowed.add("java/lang/Object");
        allowed.add(""); // javac 1.x-6 wrote an empty name entry for the anonymous class
        allowed.addAll(outers(internalName));
        int attributes = Short.toUnsignedInt(in.getShort());
        for (int a = 0; a < attributes; a++) {
            String name = utf8At(utf8, Short.toUnsignedInt(in.getShort()));
            int length = in.getInt();
            if (name == null || !ATTRIBUTES.contains(name) || length < 0 || length > in.remaining()) {
                return false;
            }
            int end = in.position() + length;
            boolean wellFormed = switch (name) {
                case "SourceFile" -> length == 2 && sourceFile.equals(utf8At(utf8, Short.toUnsignedInt(in.getShort())));
                case "EnclosingMethod" -> length == 4 && className(utf8, classRef, Short.toUnsignedInt(in.getShort())) != null
                        && in.getShort() == 0; // enclosed by a class body, not by a method
                case "InnerClasses" -> innerClasses(in, length, utf8, classRef);
                default -> length == 0; // Synthetic, Deprecated
            };
            if (!wellFormed || in.position() != end) {
                return false;
            }
        }
        if (in.hasRemaining()) {
            return false;
        }
        for (String s : utf8) {
            if (s != null && !allowed.contains(s)) {
                return false; // any other text (a payload would have to be text here) is not javac's
            }
        }
        return true;
    }

    /** Entries of four class, class, name indices and flags: every index names a class or a name of the pool. */
    private static boolean innerClasses(ByteBuffer in, int length, String[] utf8, int[] classRef) {
        int n = Short.toUnsignedInt(in.getShort());
        if (length != 2 + 8 * n || n > 8) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int inner = Short.toUnsignedInt(in.getShort());
            int outer = Short.toUnsignedInt(in.getShort());
            int name = Short.toUnsignedInt(in.getShort());
            in.getShort(); // access flags
            if (className(utf8, classRef, inner) == null || (outer != 0 && className(utf8, classRef, outer) == null)
                    || (name != 0 && utf8At(utf8, name) == null)) {
                return false;
            }
        }
        return true;
    }

    /** {@code a/B$C$1} → {@code a/B$C$1}, {@code a/B$C}, {@code a/B}. */
    private static List<String> outers(String internalName) {
        List<String> out = new ArrayList<>();
        String n = internalName;
        out.add(n);
        int slash = n.lastIndexOf('/');
        for (int d = n.lastIndexOf('$'); d > slash; d = n.lastIndexOf('$')) {
            n = n.substring(0, d);
            out.add(n);
        }
        return out;
    }

    private static String className(String[] utf8, int[] classRef, int index) {
        return index > 0 && index < classRef.length && classRef[index] > 0 ? utf8At(utf8, classRef[index]) : null;
    }

    private static String utf8At(String[] utf8, int index) {
        return index > 0 && index < utf8.length ? utf8[index] : null;
    }
}
