/**
 * The {@code ringlink} command (picocli): {@code link}, {@code tail}, {@code stat}, {@code bench}.
 * <p>
 * {@link io.ringlink.cli.Main} is the only entry point; everything else here is the command's implementation and
 * not API. Exit codes: 0 success, 2 usage error (one line naming the bad argument), 1 runtime failure.
 */
package io.ringlink.cli;
