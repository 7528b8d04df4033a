package dev.sodam.server;

import static dev.sodam.server.testing.Browsers.js;
import static dev.sodam.server.testing.Browsers.messages;
import static dev.sodam.server.testing.Browsers.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sodam.server.testing.Browsers;
import dev.sodam.server.testing.ServerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A site's quick replies in the real widget: buttons under the greeting in the visitor's language,
 * one tap sends the text as the first message (which the bot answers), and they are gone for the
 * rest of the conversation, also after a reload.
 */
class WidgetQuickRepliesBrowserTest {
    @RegisterExtension
    static final ServerExtension app = ServerExtension.forBrowsers();

    private static List<String> quickReplies(SearchContext widget) {
        return widget.findElements(By.cssSelector("[data-testid='quick-reply']")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    void aQuickReplySendsItsTextOnceAndTheButtonsLeave() throws Exception {
        String admin = app.server().loginAdmin();
        var stored = app.server().send("PUT", "/api/admin/sites/demo/settings",
                "{\"quickReplies\":{\"ko\":[\"배송은 얼마나 걸리나요?\",\"환불하고 싶어요\",\"상담원 연결\"],"
                        + "\"en\":[\"How long does delivery take?\",\"Talk to a person\"]}}", admin);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

        WebDriver visitor = Browsers.open();
        try {
            visitor.get(app.server().http("/demo"));
            SearchContext widget = Browsers.widget(visitor);
            Browsers.openPanel(visitor, widget);
            waiting(visitor).until(d -> quickReplies(widget).size() == 3);
            assertThat(quickReplies(widget)).containsExactly("배송은 얼마나 걸리나요?", "환불하고 싶어요", "상담원 연결");

            // They follow the visitor's language.
            js(visitor, "Sodam.setLocale('en')");
            waiting(visitor).until(d -> quickReplies(widget).equals(
                    List.of("How long does delivery take?", "Talk to a person")));
            js(visitor, "Sodam.setLocale('ko')");
            waiting(visitor).until(d -> quickReplies(widget).size() == 3);

            widget.findElement(By.cssSelector("[data-testid='quick-reply']")).click();
            waiting(visitor).until(d -> messages(widget, "visitor").stream()
                    .anyMatch(m -> Browsers.text(m).equals("배송은 얼마나 걸리나요?")));
            waiting(visitor).until(d -> !messages(widget, "bot").isEmpty());
            assertThat(quickReplies(widget)).as("gone once the visitor has spoken").isEmpty();
            assertThat(messages(widget, "visitor")).hasSize(1);

            visitor.navigate().refresh();
            SearchContext again = Browsers.widget(visitor);
            Browsers.openPanel(visitor, again);
            waiting(visitor).until(d -> !messages(again, "bot").isEmpty());
            assertThat(quickReplies(again)).as("not offered again in the same conversation").isEmpty();
        } finally {
            visitor.quit();
        }
    }
}
