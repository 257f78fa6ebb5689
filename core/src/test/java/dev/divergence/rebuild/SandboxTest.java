package dev.divergence.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.divergence.fixtures.Tools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a build inside the sandbox can reach: its work dir, the read-only system, nothing else. */
class SandboxTest {

    private static final Sandbox SANDBOX = Sandbox.system();

    @TempDir
    Path work;

    @BeforeAll
    static void needsBubblewrap() {
        Tools.require(SANDBOX.unavailable());
    }

    private Sandbox.Result sh(String script, Sandbox.Limits limits) throws IOException {
        return SANDBOX.run(List.of("/bin/bash", "-c", script), new Sandbox.Spec(work, List.of(), Map.of(),
                Sandbox.WORK, limits));
    }

    private Sandbox.Result sh(String script) throws IOException {
        return sh(script, new Sandbox.Limits(Duration.ofSeconds(60), 30, 1 << 20, 1 << 20));
    }

    @Test
    void aBuildCannotReadAPlantedSecretOutsideItsWorkDir() throws IOException {
        String token = "secret-" + UUID.randomUUID();
        // One secret under the module's build folder (on the same disk as this checkout, not under /tmp), one in a
        // settings.xml where Maven looks for credentials, beside the work dir.
        Path planted = Path.of("target", "planted-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(planted.resolve(".m2"));
        Files.writeString(planted.resolve("secret.txt"), token);
        Files.writeString(planted.resolve(".m2/settings.xml"), "<settings><password>" + token + "</password></settings>");
        Path beside = work.resolveSibling(work.getFileName() + "-secret.txt");
        Files.writeString(beside, token);
        try {
            Sandbox.Result r = sh("cat " + planted.resolve("secret.txt") + "; cat " + planted.resolve(".m2/settings.xml")
                    + "; cat " + beside + "; cat ~/.m2/settings.xml; cat " + System.getProperty("user.home")
                    + "/.m2/settings.xml; cat /etc/npmrc /etc/pip.conf /etc/shadow; ls /root /home /work; echo done");
            assertTrue(r.succeeded(), r.toString());
            assertFalse(r.outputTail().contains(token), r.outputTail());
            assertTrue(r.outputTail().contains(planted.resolve("secret.txt") + ": No such file or directory"), r.outputTail());
            assertTrue(r.outputTail().contains("cat: /etc/npmrc: No such file or directory"), r.outputTail());
            assertTrue(r.outputTail().contains("ls: cannot access '/root': No such file or directory"), r.outputTail());
            assertTrue(r.outputTail().strip().endsWith("done"), r.outputTail());
        } finally {
            Sandbox.deleteTree(planted);
            Files.deleteIfExists(beside);
        }
    }

    @Test
    void aBuildCannotOpenASocketEvenToThisMachine() throws Exception {
        AtomicBoolean accepted = new AtomicBoolean();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (var s = server.accept()) {
                    accepted.set(true);
                } catch (IOException e) {
                    // closed by the test
                }
            });
            t.setDaemon(true);
            t.start();
            Sandbox.Result r = sh("exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo CONNECTED;"
                    + " exec 4<>/dev/tcp/1.1.1.1/80 && echo CONNECTED; getent hosts repo1.maven.org || echo NO-DNS");
            // the whole result on failure: an empty tail once came from a loaded CI machine, cause unknown
            assertFalse(r.outputTail().contains("CONNECTED"), r.toString());
            assertTrue(r.outputTail().contains("/dev/tcp/127.0.0.1/" + server.getLocalPort() + ": Connection refused"),
                    r.toString());
            assertTrue(r.outputTail().contains("Network is unreachable"), r.toString());
            assertTrue(r.outputTail().contains("NO-DNS"), r.toString());
            assertFalse(accepted.get());
        }
    }

    @Test
    void aBuildWritesOnlyItsWorkDir() throws IOException {
        Path outside = work.resolveSibling(work.getFileName() + "-outside");
        Files.createDirectories(outside);
        try {
            Sandbox.Result r = sh("echo x > " + outside.resolve("escaped") + "; echo x > /usr/escaped; echo x > /etc/passwd;"
                    + " echo x > /tmp/scratch && echo TMP-OK; echo built > /build/out.txt && echo WORK-OK");
            assertTrue(r.succeeded(), r.toString());
            assertFalse(Files.exists(outside.resolve("escaped")));
            assertFalse(Files.exists(Path.of("/usr/escaped")));
            assertTrue(r.outputTail().contains("/usr/escaped: Read-only file system"), r.outputTail());
            assertTrue(r.outputTail().contains("/etc/passwd: Read-only file system"), r.outputTail());
            assertEquals("built\n", Files.readString(work.resolve("out.txt")));
            assertTrue(r.outputTail().contains("TMP-OK") && r.outputTail().contains("WORK-OK"), r.outputTail());
        } finally {
            Sandbox.deleteTree(outside);
        }
    }

    @Test
    void theEnvironmentIsEmptyButForTheFakeHome() throws IOException {
        Sandbox.Result r = sh("env | sort; id -u; ls -A $HOME | wc -l");
        assertEquals("HOME=/build/.home\nLANG=C.UTF-8\nPATH=/usr/local/bin:/usr/bin:/bin\nPWD=/build\nSHLVL=1\n"
                + "TMPDIR=/build/.tmp\n_=/usr/bin/env\n65534\n0\n", r.outputTail());
    }

    @Test
    void everyProcessIsKilledAtTheEndAndLimitsKill() throws IOException {
        String marker = "9" + (100000 + new java.util.Random().nextInt(800000)) + ".5";
        Sandbox.Result r = sh("setsid sleep " + marker + " > /dev/null 2>&1 < /dev/null & disown; nohup sleep " + marker
                + " > /dev/null 2>&1 & echo started");
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker))
                .count(), "a process started in the sandbox outlived it");

        Sandbox.Result slow = sh("sleep 60", new Sandbox.Limits(Duration.ofSeconds(2), 30, 1 << 20, 1 << 20));
        assertEquals(java.util.Optional.of("wall time 2 s exceeded"), slow.killedBy());
        Sandbox.Result chatty = sh("yes", new Sandbox.Limits(Duration.ofSeconds(60), 30, 1 << 20, 1 << 20));
        assertEquals(java.util.Optional.of("output exceeded 1048576 bytes"), chatty.killedBy());
        Sandbox.Result busy = sh("while :; do :; done", new Sandbox.Limits(Duration.ofSeconds(60), 1, 1 << 20, 1 << 20));
        assertEquals(java.util.Optional.of("CPU limit of 1 s exceeded (SIGXCPU)"), busy.killedBy());
        Sandbox.Result big = sh("head -c 2000000 /dev/zero > /build/big; echo rc=$?",
                new Sandbox.Limits(Duration.ofSeconds(60), 30, 1 << 20, 1 << 20));
        assertTrue(Files.size(work.resolve("big")) <= 1 << 20);
        Sandbox.Result tmp = sh("head -c 300000000 /dev/zero > /tmp/fill; echo rc=$?; df -B1 --output=size /tmp | tail -1",
                new Sandbox.Limits(Duration.ofSeconds(60), 30, 1 << 20, 1L << 30));
        assertTrue(tmp.outputTail().contains("No space left on device"), tmp.outputTail());
        assertTrue(tmp.outputTail().strip().endsWith(String.valueOf(Sandbox.TMP_BYTES)), tmp.outputTail());
    }

    /**
     * A build that starts processes without end (bounded here: 500 sleeping ones, each killed with the sandbox) stops
     * at the cap inside the sandbox: its shell cannot fork, the build fails by itself long before the wall limit,
     * and nothing it started outlives the run. The same script with 20 processes runs: the cap leaves builds room.
     */
    @Test
    void aBuildStartingProcessesWithoutEndFailsAtTheProcessCap() throws IOException {
        Tools.require(SANDBOX.processCap() instanceof ProcessCap.None none ? java.util.Optional.of(none.why())
                : java.util.Optional.empty());
        String marker = "8" + (100000 + new java.util.Random().nextInt(800000)) + ".5";
        Sandbox.Limits capped = new Sandbox.Limits(Duration.ofSeconds(60), 30, 1 << 20, 1 << 20, 64);
        String script = "n=0; for i in $(seq %d); do sleep " + marker + " & n=$i; done; echo started $n";
        Sandbox.Result few = SANDBOX.run(List.of("/bin/sh", "-c", script.formatted(20)),
                new Sandbox.Spec(work, List.of(), Map.of(), Sandbox.WORK, capped));
        assertTrue(few.succeeded(), few.toString());
        assertTrue(few.outputTail().contains("started 20"), few.outputTail());

        Sandbox.Result many = SANDBOX.run(List.of("/bin/sh", "-c", script.formatted(500)),
                new Sandbox.Spec(work, List.of(), Map.of(), Sandbox.WORK, capped));
        assertFalse(many.succeeded(), many.toString());
        assertEquals(java.util.Optional.empty(), many.killedBy(), "the build fails by itself, not by the wall limit");
        assertFalse(many.outputTail().contains("started 500"), many.outputTail());
        assertEquals(0, ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker))
                .count(), "a process started in the sandbox outlived it");
        assertTrue(SANDBOX.describe(capped).contains("processes 64"), SANDBOX.describe(capped));
    }
}
