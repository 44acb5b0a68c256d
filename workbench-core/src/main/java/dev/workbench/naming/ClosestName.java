package dev.workbench.naming;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** Suggests the intended name for a misspelt one: the closest candidate within a small edit distance. */
public final class ClosestName {
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private ClosestName() {
    }

    public static Optional<String> to(String typed, Collection<String> candidates) {
        int limit = Math.max(2, typed.length() / 3);
        return candidates.stream()
                .filter(c -> DISTANCE.apply(typed.toLowerCase(), c.toLowerCase()) <= limit)
                .min(Comparator.comparingInt(c -> DISTANCE.apply(typed.toLowerCase(), c.toLowerCase())));
    }

    /** " (did you mean 'x'?)" or "" when nothing is close. */
    public static String hint(String typed, Collection<String> candidates) {
        return to(typed, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }
}
