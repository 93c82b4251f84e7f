package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Author;
import io.echolot.model.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The own-accounts index answers exactly as the rules' scan over every brand does. */
class OwnAccountsTest {

    private static final String RULES =
            """
            version: 1
            brands:
              - id: first
                names: [First]
                care:
                  accounts:
                    x: [first_de, "12345"]
                    any: [FirstHelp]
              - id: second
                names: [Second]
                care:
                  accounts:
                    x: [first_de, second_de]
                    facebook: [Strasse_Team, kundendienst.k]
              - id: third
                names: [Third]
                handles: [third_official]
            """;

    @Test
    void answersAsTheScanOverEveryBrandDoes() {
        BrandRules rules = BrandRules.parse(RULES, "test");
        OwnAccounts index = OwnAccounts.of(rules);
        List<String> handles =
                new ArrayList<>(
                        List.of(
                                "first_de",
                                "FIRST_DE",
                                "@first_de",
                                " @First_De ",
                                "firsthelp",
                                "FIRSTHELP",
                                "second_de",
                                "straße_team",
                                "STRASSE_TEAM",
                                "Straße_TEAM",
                                "istanbuldesk",
                                "İSTANBULDESK",
                                "third_official",
                                "Third_Official",
                                "nobody",
                                "",
                                "@",
                                "12345"));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            StringBuilder h = new StringBuilder();
            for (int j = 0; j < 1 + random.nextInt(12); j++) {
                h.appendCodePoint("aAß_İıiIfFsS@ 1éſKkK".codePointAt(random.nextInt(20)));
            }
            handles.add(h.toString());
        }
        int brandAccounts = 0;
        for (Platform p : Platform.values()) {
            for (String handle : handles) {
                for (String id : new String[] {"12345", "first_de", "other", null}) {
                    for (Author a :
                            new Author[] {
                                new Author(id, handle, 10), new Author(id, null, 10), null
                            }) {
                        var expected = rules.ownAccountOf(p, a);
                        assertThat(index.brandOf(p, a)).as("%s %s", p, a).isEqualTo(expected);
                        if (expected.isPresent()) {
                            brandAccounts++;
                        }
                    }
                }
            }
        }
        // the comparison covered brand accounts, not only strangers
        assertThat(brandAccounts).isGreaterThan(100);
        assertThat(index.brandOf(Platform.X, new Author("x", "@FIRST_DE", 1))).contains("first");
        assertThat(index.brandOf(Platform.FACEBOOK, new Author("x", "second_de", 1))).isEmpty();
        assertThat(index.brandOf(Platform.X, new Author("x", "second_de", 1))).contains("second");
    }

    /**
     * Only ASCII letters match in any case: Unicode case folding would take a stranger's look-alike
     * for the brand's account, and one reply from it would close a care item.
     */
    @Test
    void aLookAlikeHandleIsNotTheBrandsAccount() {
        BrandRules rules = BrandRules.parse(RULES, "test");
        OwnAccounts index = OwnAccounts.of(rules);
        for (String impostor : new String[] {"firſt_de", "fİrst_de", "first_de\u200B"}) {
            Author a = new Author("stranger", impostor, 1);
            assertThat(index.brandOf(Platform.X, a)).as(impostor).isEmpty();
            assertThat(rules.ownAccountOf(Platform.X, a)).as(impostor).isEmpty();
        }
        // a Kelvin sign for the k of kundendienst.k
        Author kelvin = new Author("stranger", "\u212Aundendienst.k", 1);
        assertThat(index.brandOf(Platform.FACEBOOK, kelvin)).isEmpty();
        assertThat(rules.ownAccountOf(Platform.FACEBOOK, kelvin)).isEmpty();
        assertThat(index.brandOf(Platform.FACEBOOK, new Author("x", "STRASSE_team", 1)))
                .contains("second");
        assertThat(index.brandOf(Platform.FACEBOOK, new Author("x", "STRAẞE_team", 1))).isEmpty();
    }
}
