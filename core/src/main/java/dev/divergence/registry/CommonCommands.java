package dev.divergence.registry;

import java.util.Set;

/**
 * Commands a developer's shell and tools run by name: an installed command of one of these names (an npm {@code bin},
 * a wheel's {@code .data/scripts/} file) shadows them on PATH, whatever it holds.
 */
public final class CommonCommands {

    static final Set<String> COMMON_COMMANDS = Set.of(
            "npm", "npx", "node", "nodejs", "corepack", "yarn", "yarnpkg", "pnpm", "pnpx", "bun", "bunx", "deno",
            "sh", "bash", "zsh", "dash", "fish", "ksh", "csh", "tcsh", "pwsh", "powershell", "cmd",
            "git", "ssh", "scp", "sftp", "rsync", "curl", "wget", "gpg", "openssl",
            "python", "python3", "pip", "pip3", "ruby", "gem", "perl", "java", "go", "cargo", "rustc",
            "make", "cmake", "gcc", "g++", "cc", "clang", "ld",
            "sudo", "su", "env", "ls", "cat", "cp", "mv", "rm", "chmod", "chown", "tar", "gzip", "unzip", "find",
            "grep", "sed", "awk", "xargs", "which", "whoami", "id", "ps", "kill", "open", "code", "docker",
            "kubectl", "helm", "terraform", "aws", "gcloud", "az", "gh");

    private CommonCommands() {
    }

    /** Whether an installed command called {@code name} (a Windows {@code .cmd}/{@code .exe}/... too) shadows one. */
    public static boolean shadows(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.(cmd|exe|bat|ps1)$", "");
        return COMMON_COMMANDS.contains(n);
    }
}
