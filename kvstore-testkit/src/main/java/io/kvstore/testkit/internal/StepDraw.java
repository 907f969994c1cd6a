package io.kvstore.testkit.internal;

import io.kvstore.testkit.internal.ModelChecker.Run;
import io.kvstore.testkit.internal.ModelSteps.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Draws the next step of a model sequence: every kind of step has a weight, and a drawn step that
 * does not apply to the run's state (a {@code reindex()} before migration, say) is drawn again.
 * Which kinds exist is fixed by the fixture once: a hand-moved clock or real time, and migration
 * only where sequences migrate. Inputs come from {@link ModelInputs}.
 */
final class StepDraw {
  /** A kind of step, its weight and how to draw one. */
  private record Choice(int weight, Function<Random, Step> draw) {}

  private final List<Choice> choices;
  private final int total;

  /**
   * The kinds of step for a fixture.
   *
   * @param clock whether the fixture has a clock the steps may move
   * @param migrates whether sequences migrate to an indexed listing
   */
  StepDraw(boolean clock, boolean migrates) {
    this.choices = choices(clock, migrates);
    this.total = choices.stream().mapToInt(Choice::weight).sum();
  }

  /** Draws the next step by weight among those that apply to the run's state. */
  Step next(Random random, Run run) {
    while (true) {
      int at = random.nextInt(total);
      for (Choice choice : choices) {
        at -= choice.weight();
        if (at < 0) {
          Step step = choice.draw().apply(random);
          if (step.appliesTo(run)) {
            return step;
          }
          break;
        }
      }
    }
  }

  private static List<Choice> choices(boolean clock, boolean migrates) {
    List<Choice> choices = new ArrayList<>(List.of(
        new Choice(8, r -> new WriteSteps.Put(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, true), false)),
        new Choice(2, r -> new WriteSteps.Put(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, false), true)),
        new Choice(3, r -> new WriteSteps.PutIfAbsent(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, false))),
        new Choice(3, r -> new WriteSteps.PutAll(ModelInputs.entries(r, 1, 8),
            ModelInputs.ttl(r, clock, false), r.nextBoolean())),
        new Choice(2, r -> new WriteSteps.BulkPut(ModelInputs.pick(r, ModelInputs.KEY_PREFIXES),
            10 + r.nextInt(111), ModelInputs.value(r))),
        new Choice(4, r -> new WriteSteps.Delete(ModelInputs.key(r))),
        new Choice(2, r -> new WriteSteps.DeleteAll(ModelInputs.keys(r, 8))),
        new Choice(6, r -> new ReadSteps.Get(ModelInputs.key(r))),
        new Choice(3, r -> new ReadSteps.GetAll(ModelInputs.keys(r, 10), false)),
        new Choice(2, r -> new ReadSteps.GetAll(ModelInputs.keys(r, 10), true)),
        new Choice(4, r -> new ReadSteps.Walk(ModelInputs.listPrefix(r), ModelInputs.limits(r),
            r.nextBoolean())),
        new Choice(1, r -> new StoreSteps.Reindex()),
        new Choice(1, r -> new StoreSteps.Close(r.nextInt(7), ModelInputs.key(r),
            ModelInputs.value(r)))));
    if (clock) {
      choices.add(new Choice(2, r -> new TimeSteps.AdvanceClock(1000L * (1 + r.nextInt(12)))));
    } else {
      choices.add(new Choice(1, r -> new TimeSteps.ExpiringPut(ModelInputs.key(r),
          ModelInputs.value(r), ModelInputs.pick(r, List.of(1L, 5L, 20L, 50L)),
          ModelInputs.pick(r, List.of(TimeSteps.ExpiringPut.Read.values())))));
    }
    if (migrates) {
      choices.add(new Choice(3, r -> new StoreSteps.Migrate(ModelInputs.keys(r, 4),
          ModelInputs.entries(r, 0, 4), ModelInputs.keys(r, 12), ModelInputs.entries(r, 0, 4))));
    }
    return List.copyOf(choices);
  }
}
