package dev.divergence.registry.maven;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.objectweb.asm.Opcodes;

/**
 * Fail-closed test that a class file was compiled from a Java source: every member its code reaches must be named by
 * that source's code ({@link SourceNames}: identifiers, comments and string literals left out; an import names its
 * class), except what javac and ecj (any target since 1.1) write themselves for constructs the source has. A deny-list
 * of dangerous APIs always misses one (java.beans.XMLDecoder, JNDI lookup, ObjectInputStream, JShell, ...); here an
 * API the source does not name is beyond it whatever it is.
 *
 * <p>What must be named ({@link CompiledClass#refs}): the name of every method called or taken a handle to and of
 * every field read or written; the class of every static call, instantiation ({@code new}) and class constant
 * ({@code ldc}); every invokedynamic bootstrap. Not required: the owner of an instance call or a field (a chained
 * call's receiver type is often written nowhere) and casts, {@code instanceof} and array types (no code runs).
 *
 * <p>Synthesised, so never required: anything of the class's own nest (the source's top-level class or one the file
 * names, and their {@code $}-nested classes) whose name holds a '$' ({@code lambda$run$0}, {@code access$000},
 * {@code $values}, {@code $SwitchMap$..}, {@code this$0}, {@code val$x}, {@code class$java$lang$String},
 * {@code $assertionsDisabled}, ecj's {@code $SWITCH_TABLE$..}, {@code ENUM$VALUES}); the nest's constructors and
 * class constants; a bridge method's call of the method it bridges (left out by {@link CompiledClass}); and
 * {@link #SYNTHESISED}.
 */
final class JavaSourceReferences {
    private JavaSourceReferences() {
    }

    private static final String BOXES = "(Boolean|Byte|Character|Short|Integer|Long|Float|Double)";

    /**
     * References javac/ecj write for a construct the source has without naming what is referenced ({@code kind
     * owner.name} as in {@link CompiledClass#refs}, regular expressions): string concatenation (StringBuilder and
     * StringBuffer, String.valueOf, StringConcatFactory), boxing and unboxing ({@code Integer.valueOf},
     * {@code intValue}, and {@code Integer.TYPE} for {@code int.class}), the enhanced for ({@code iterator},
     * {@code hasNext}, {@code next}), try-with-resources ({@code close}, {@code addSuppressed}), enums
     * ({@code Enum.<init>}, {@code Enum.valueOf}, {@code values}, {@code ordinal}, an array's {@code clone}, ecj's
     * {@code System.arraycopy}), a switch on a String ({@code hashCode}, {@code equals}) or with patterns
     * (SwitchBootstraps, MatchException), null checks ({@code Objects.requireNonNull}, {@code getClass}), assertions
     * ({@code desiredAssertionStatus}, AssertionError), class literals before Java 5 ({@code Class.forName},
     * NoClassDefFoundError, {@code getMessage}, {@code initCause}, {@code getComponentType}), lambdas and method
     * references (LambdaMetafactory; a serializable lambda's {@code $deserializeLambda$}: SerializedLambda,
     * {@code equals}, IllegalArgumentException), records (Record, ObjectMethods), the Object constructor, and an
     * enum switch's IncompatibleClassChangeError.
     */
    static final List<java.util.regex.Pattern> SYNTHESISED = java.util.stream.Stream.of(
            "[NV] java/lang/String(Builder|Buffer)(\\.(<init>|append|toString))?",
            "S java/lang/String\\.valueOf",
            "B java/lang/invoke/StringConcatFactory\\.makeConcat(WithConstants)?",
            "S java/lang/" + BOXES + "\\.valueOf",
            "V java/lang/" + BOXES + "\\.(boolean|byte|char|short|int|long|float|double)Value",
            "F java/lang/(" + BOXES.substring(1, BOXES.length() - 1) + "|Void)\\.TYPE",
            "V [\\w/$]+\\.(iterator|hasNext|next|close|ordinal|hashCode|equals)",
            "V java/lang/Throwable\\.addSuppressed",
            "V [\\w/$]+\\.getClass",
            "S java/util/Objects\\.requireNonNull",
            "V java/lang/Enum\\.<init>",
            "S java/lang/Enum\\.valueOf",
            "S [\\w/$]+\\.values",
            "V \\[.*\\.clone",
            "S java/lang/System\\.arraycopy",
            "V java/lang/Class\\.(desiredAssertionStatus|getComponentType)",
            "[NV] java/lang/AssertionError(\\.<init>)?",
            "S java/lang/Class\\.forName",
            "[NV] java/lang/NoClassDefFoundError(\\.<init>|\\.initCause)?",
            "V java/lang/(Throwable|ClassNotFoundException|NoClassDefFoundError)\\.(getMessage|initCause)",
            "B java/lang/invoke/LambdaMetafactory\\.(metafactory|altMetafactory)",
            "V java/lang/invoke/SerializedLambda\\.get\\w+",
            "[NV] java/lang/IllegalArgumentException(\\.<init>)?",
            "V java/lang/Record\\.<init>",
            "B java/lang/runtime/ObjectMethods\\.bootstrap",
            "B java/lang/runtime/SwitchBootstraps\\.(typeSwitch|enumSwitch)",
            "[NV] java/lang/(MatchException|IncompatibleClassChangeError)(\\.<init>)?",
            "V java/lang/Object\\.<init>")
            .map(java.util.regex.Pattern::compile).toList();

    /**
     * The references of {@code c} its Java source's code does not account for, as {@code kind owner.name}; empty when
     * every one is named or synthesised.
     *
     * @param names the identifiers of the source's code ({@link SourceNames})
     * @param sourceName the source file's name without {@code .java} (its top-level class)
     */
    static Set<String> unnamed(CompiledClass c, Set<String> names, String sourceName) {
        String pkg = c.name().contains("/") ? c.name().substring(0, c.name().lastIndexOf('/') + 1) : "";
        Set<String> out = new TreeSet<>();
        for (String ref : c.refs()) {
            char kind = ref.charAt(0);
            String target = ref.substring(2);
            if (SYNTHESISED.stream().anyMatch(p -> p.matcher(ref).matches())) {
                continue;
            }
            boolean member = kind != CompiledClass.NEW && kind != CompiledClass.CONSTANT;
            String owner = member ? target.substring(0, target.lastIndexOf('.')) : target;
            String name = member ? target.substring(target.lastIndexOf('.') + 1) : "";
            boolean nest = nest(owner, pkg, sourceName, names, c);
            if (nest && (name.contains("$") || name.equals("<init>") || !member)) {
                continue; // what the compiler writes into the class's own nest
            }
            if (name.equals("<init>")) {
                // a constructor: of the class instantiated (checked as NEW), this class's superclass (this(..)/super(..))
                if (c.superName().map(owner::equals).orElse(false) || c.refs().contains(CompiledClass.NEW + " " + owner)) {
                    continue;
                }
                if (!named(owner, names)) {
                    out.add(ref);
                }
                continue;
            }
            boolean ok = switch (kind) {
                case CompiledClass.STATIC -> names.contains(name) && (nest || named(owner, names)
                        || inheritedStaticBeforeJava5(c, owner));
                case CompiledClass.CALL, CompiledClass.FIELD -> names.contains(name);
                case CompiledClass.NEW, CompiledClass.CONSTANT -> nest || named(owner, names);
                default -> names.contains(name) && named(owner, names); // a bootstrap the source's code must write
            };
            if (!ok) {
                out.add(ref);
            }
        }
        return out;
    }

    /**
     * Compilers before Java 5 (class files up to 1.4, major 48) wrote the class that declares a static method as the
     * owner of an unqualified call of it, where javac since writes the class the call is made through (JLS 13.1): a
     * JUnit 3 test calling {@code fail(..)} in a {@code TestCase} subclass holds {@code junit/framework/Assert.fail}, a
     * class its source never names. The method's name must still be named, and only a library's class qualifies: a
     * JDK class (java, javax, jdk, sun, com.sun) must be named by the source, since the harmful static entry points are
     * there.
     */
    private static boolean inheritedStaticBeforeJava5(CompiledClass c, String owner) {
        return c.major() <= Opcodes.V1_4 && c.superName().isPresent()
                && !c.superName().get().equals("java/lang/Object")
                && !owner.matches("(java|javax|jdk|sun|com/sun)/.*");
    }

    /** The class's simple name ({@code a/b/Outer$Inner} → Inner) is one of the source's identifiers. */
    private static boolean named(String owner, Set<String> names) {
        String simple = owner.substring(owner.lastIndexOf('/') + 1);
        return names.contains(simple) || names.contains(simple.substring(simple.lastIndexOf('$') + 1));
    }

    /**
     * A class of the same nest: the class itself, or — in its package — the source's top-level class, a top-level
     * class the source names (a second class in the file) or a class nested in one of them.
     */
    private static boolean nest(String owner, String pkg, String sourceName, Set<String> names, CompiledClass c) {
        if (owner.equals(c.name())) {
            return true;
        }
        if (!owner.startsWith(pkg) || owner.indexOf('/', pkg.length()) >= 0) {
            return false;
        }
        String simple = owner.substring(pkg.length());
        if (simple.equals(sourceName) || simple.startsWith(sourceName + "$")) {
            return true;
        }
        int dollar = simple.indexOf('$');
        String top = dollar < 0 ? simple : simple.substring(0, dollar);
        return !top.isEmpty() && names.contains(top);
    }

    /** For the report: {@code kind owner.name} as Java would say it. */
    static String describe(String ref) {
        String what = switch (ref.charAt(0)) {
            case CompiledClass.STATIC, CompiledClass.CALL -> "call ";
            case CompiledClass.FIELD -> "field ";
            case CompiledClass.NEW -> "new ";
            case CompiledClass.CONSTANT -> "class ";
            default -> "bootstrap ";
        };
        return what + ref.substring(2).replace('/', '.');
    }
}
