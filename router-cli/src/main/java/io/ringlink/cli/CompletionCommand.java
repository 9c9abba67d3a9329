package io.ringlink.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ringlink completion}: prints the bash/zsh completion script, to be sourced:
 * {@code source <(./ringlink completion)}.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
        "Prints a bash/zsh completion script for ringlink.",
        "Use it with: source <(ringlink completion)"
    })
final class CompletionCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        final CommandLine root = spec.commandLine().getParent();
        System.out.print(AutoComplete.bash("ringlink", root));
        System.out.flush();
    }
}
