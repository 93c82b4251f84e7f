package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatEscapingTest {

    @Test
    void onlyHttpAndHttpsUrlsWithAHostBecomeLinks() {
        assertThat(ChatEscaping.httpUrl("https://x.example/a")).isEqualTo("https://x.example/a");
        assertThat(ChatEscaping.httpUrl(" HTTP://x.example/A ")).isEqualTo("http://x.example/A");
        assertThat(ChatEscaping.httpUrl("javascript:alert(1)")).isNull();
        assertThat(ChatEscaping.httpUrl("JavaScript:alert(1)//https://x")).isNull();
        assertThat(ChatEscaping.httpUrl("data:text/html,<script>")).isNull();
        assertThat(ChatEscaping.httpUrl("ftp://x.example/")).isNull();
        assertThat(ChatEscaping.httpUrl("//x.example/")).isNull();
        assertThat(ChatEscaping.httpUrl("https://")).isNull();
        assertThat(ChatEscaping.httpUrl("https:///etc/passwd")).isNull();
        assertThat(ChatEscaping.httpUrl(null)).isNull();
    }

    @Test
    void percentEncodesEverythingThatCouldEndTheLinkSyntax() {
        assertThat(ChatEscaping.httpUrl("https://a|x> <!channel>"))
                .isEqualTo("https://a%7Cx%3E%20%3C!channel%3E");
        assertThat(ChatEscaping.httpUrl("https://x.example/p?a=1&b=(2)[3]\"`{}^\\"))
                .isEqualTo("https://x.example/p?a=1&b=%282%29%5B3%5D%22%60%7B%7D%5E%5C");
        assertThat(ChatEscaping.httpUrl("https://x.example/a\r\nb\tc\u0000"))
                .isEqualTo("https://x.example/a%0D%0Ab%09c%00");
        assertThat(ChatEscaping.httpUrl("https://x.example/\u202Efdp.exe"))
                .isEqualTo("https://x.example/%E2%80%AEfdp.exe");
        assertThat(ChatEscaping.httpUrl("https://x.example/線?q=😡\uD800"))
                .isEqualTo("https://x.example/%E7%B7%9A?q=%F0%9F%98%A1%EF%BF%BD");
        // an escape stays one, a lone % does not pass for one
        assertThat(ChatEscaping.httpUrl("https://x.example/%41%zz%4"))
                .isEqualTo("https://x.example/%41%25zz%254");
        assertThat(ChatEscaping.httpUrl("https://x.example/" + "a".repeat(10_000))).isNull();
    }

    @Test
    void cleanLeavesOneLineWithoutControlOrBidiCharacters() {
        assertThat(ChatEscaping.clean("a\nb\r\nc\td\u0085e\u2028f\u0007g"))
                .isEqualTo("a b  c d e f g");
        assertThat(ChatEscaping.clean("x\u202Eevil\u202C\u200F\u200E\u2066\u2069\u061Cy"))
                .isEqualTo("xevily");
        assertThat(ChatEscaping.clean("lone \uD800 and \uDC00, pair 😡"))
                .isEqualTo("lone \uFFFD and \uFFFD, pair 😡");
        assertThat(ChatEscaping.clean(null)).isEmpty();
    }

    @Test
    void slackTextCannotFormatMentionOrLink() {
        assertThat(
                        ChatEscaping.slack(
                                "*bold* _it_ ~s~ `code` <!channel> <@U123> <https://e|x> & @here"))
                .isEqualTo(
                        "∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ &lt;!channel&gt; &lt;@U123&gt;"
                                + " &lt;https://e|x&gt; &amp; @\u2060here");
        assertThat(ChatEscaping.slack("@Channel @everyone mail@here.example"))
                .isEqualTo("@\u2060Channel @\u2060everyone mail@here.example");
        assertThat(ChatEscaping.slackLink("https://x.example/?a=1&b=2", "<b>&"))
                .isEqualTo("<https://x.example/?a=1&amp;b=2|&lt;b&gt;&amp;>");
        assertThat(ChatEscaping.slackPlain("<!here> & *x*")).isEqualTo("‹!here› & *x*");
    }

    @Test
    void teamsTextCannotFormatOrLink() {
        assertThat(ChatEscaping.teams("[x](https://evil) *bold* _it_ ~s~ `code` <b> {{DATE(x)}}"))
                .isEqualTo(
                        "\\[x\\]\\(https://evil\\) \\*bold\\* \\_it\\_ \\~s\\~ \\`code\\`"
                                + " \\<b\\> \\{\\{DATE\\(x\\)\\}\\}");
        assertThat(ChatEscaping.teams("![img](https://evil/p.png) &amp; a\\b"))
                .isEqualTo("\\!\\[img\\]\\(https://evil/p.png\\) \\&amp; a\\\\b");
        assertThat(ChatEscaping.teams("1. list")).isEqualTo("1\\. list");
        assertThat(ChatEscaping.teams("- item")).isEqualTo("\\- item");
        assertThat(ChatEscaping.teams("# heading")).isEqualTo("\\# heading");
        assertThat(ChatEscaping.teams("a - b 2. c")).isEqualTo("a - b 2. c");
        assertThat(ChatEscaping.teamsLink("https://x.example/", "[t]"))
                .isEqualTo("[\\[t\\]](https://x.example/)");
    }
}
