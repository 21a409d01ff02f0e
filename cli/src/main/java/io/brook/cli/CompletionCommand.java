package io.brook.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook completion bash}: prints picocli's completion script for every command and option.
 * {@code source <(./brook completion bash)} in bash; zsh runs the same script after {@code
 * autoload -U +X bashcompinit && bashcompinit}.
 */
@Command(
        name = "completion",
        description = {
            "Print the shell completion script.",
            "bash: source <(brook completion bash); zsh: autoload -U +X bashcompinit && bashcompinit first."
        },
        mixinStandardHelpOptions = true)
final class CompletionCommand implements Callable<Integer> {

    enum Shell {
        bash,
        zsh
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash (default) or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("brook", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
