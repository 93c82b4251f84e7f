package io.echolot.rules;

import io.echolot.model.Author;
import io.echolot.model.Platform;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The brands' own accounts as an index, built once from the rules: which brand, if any, an author
 * posting on a platform speaks for. The same answer as {@link BrandRules#ownAccountOf} (the first
 * brand in the rules whose care accounts list the author's id, or its handle in any ASCII case),
 * without looking at every brand for every mention.
 */
public final class OwnAccounts {

    /** Per platform wire name or {@link CareRules#ANY_PLATFORM}: author id → first brand index. */
    private final Map<String, Map<String, Integer>> byId = new HashMap<>();

    /** The same for handles, ASCII letters case folded ({@link CareRules#sameHandle}). */
    private final Map<String, Map<String, Integer>> byHandle = new HashMap<>();

    private final List<String> brandIds;

    private OwnAccounts(BrandRules rules) {
        brandIds = rules.brands().stream().map(Brand::id).toList();
        List<Brand> brands = rules.brands();
        for (int i = 0; i < brands.size(); i++) {
            int index = i;
            brands.get(i)
                    .care()
                    .accounts()
                    .forEach(
                            (platform, accounts) -> {
                                for (String a : accounts) {
                                    byId.computeIfAbsent(platform, p -> new HashMap<>())
                                            .putIfAbsent(a, index);
                                    byHandle.computeIfAbsent(platform, p -> new HashMap<>())
                                            .putIfAbsent(CareRules.foldHandle(a), index);
                                }
                            });
        }
    }

    /** The index of {@code rules}' own accounts. */
    public static OwnAccounts of(BrandRules rules) {
        return new OwnAccounts(rules);
    }

    /** The brand whose own account {@code author} is on {@code platform}, if any. */
    public Optional<String> brandOf(Platform platform, Author author) {
        if (author == null) {
            return Optional.empty();
        }
        String handle =
                author.handle() == null
                        ? null
                        : CareRules.foldHandle(CareRules.stripAt(author.handle()));
        int best = Integer.MAX_VALUE;
        for (String p : new String[] {platform.wireName(), CareRules.ANY_PLATFORM}) {
            best = Math.min(best, lookup(byId.get(p), author.id()));
            best = Math.min(best, lookup(byHandle.get(p), handle));
        }
        return best == Integer.MAX_VALUE ? Optional.empty() : Optional.of(brandIds.get(best));
    }

    private static int lookup(Map<String, Integer> index, String key) {
        if (index == null || key == null) {
            return Integer.MAX_VALUE;
        }
        Integer i = index.get(key);
        return i == null ? Integer.MAX_VALUE : i;
    }
}
