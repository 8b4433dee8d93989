package coffee.acupof.datamover.rclonemover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** An {@link Rclone} whose answers a test scripts: stdout text and exit code per call. Records every call. */
final class ScriptedRclone implements Rclone {

  /** A scripted answer: what rclone prints on stdout and its exit code. */
  record Answer(String stdout, int exitCode, List<String> errors) {
    static Answer ok(String stdout) {
      return new Answer(stdout, 0, List.of());
    }
  }

  final List<Call> calls = new ArrayList<>();
  private final Function<Call, Answer> script;

  ScriptedRclone(Function<Call, Answer> script) {
    this.script = script;
  }

  @Override
  public Outcome run(Call call) {
    calls.add(call);
    Answer answer = script.apply(call);
    call.stdout().ifPresent(file -> {
      try {
        Files.writeString(file, answer.stdout(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return new Outcome(answer.exitCode(), Stats.NONE, answer.errors(),
        answer.errors().isEmpty() ? "" : answer.errors().getLast());
  }

  /** The arguments of every call, joined by spaces. */
  List<String> commandLines() {
    return calls.stream().map(c -> String.join(" ", c.args())).toList();
  }

  Optional<byte[]> stdinOf(String firstArg) {
    return calls.stream().filter(c -> c.args().getFirst().equals(firstArg)).findFirst().flatMap(Call::stdin);
  }
}
