package io.echolot.schemas.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SavedObjectsValidatorTest {

    private static List<IndexTemplateFields> templates;

    private static final String DATA_VIEW =
            "{\"type\":\"index-pattern\",\"id\":\"m\",\"attributes\":{\"title\":\"echolot-mentions-*\","
                    + "\"timeFieldName\":\"created_at\"},\"references\":[],"
                    + "\"typeMigrationVersion\":\"8.0.0\"}";

    @BeforeAll
    static void readTemplates() throws IOException {
        templates = SavedObjectsValidator.readTemplates(KibanaSavedObjectsTest.TEMPLATES_DIR);
    }

    private static String lens(String operation, String field, String dataType) {
        return "{\"type\":\"lens\",\"id\":\"v\",\"attributes\":{\"title\":\"t\",\"visualizationType\":"
                + "\"lnsXY\",\"state\":{\"datasourceStates\":{\"formBased\":{\"layers\":{\"l1\":{"
                + "\"columnOrder\":[\"a\",\"c\"],\"columns\":{\"a\":{\"operationType\":\""
                + operation
                + "\",\"sourceField\":\""
                + field
                + "\",\"dataType\":\""
                + dataType
                + "\"},"
                + "\"c\":{\"operationType\":\"count\",\"sourceField\":\"___records___\","
                + "\"dataType\":\"number\"}}}}}},\"visualization\":{\"layers\":[{\"layerId\":\"l1\","
                + "\"xAccessor\":\"a\",\"accessors\":[\"c\"]}]},\"query\":{\"query\":\"\","
                + "\"language\":\"kuery\"},\"filters\":[]}},\"references\":[{\"type\":"
                + "\"index-pattern\",\"id\":\"m\",\"name\":\"indexpattern-datasource-layer-l1\"}],"
                + "\"typeMigrationVersion\":\"8.9.0\"}";
    }

    private static List<String> problems(String... lines) {
        SavedObjectsValidator v = new SavedObjectsValidator(templates);
        for (int i = 0; i < lines.length; i++) {
            v.addLine("test:" + (i + 1), lines[i]);
        }
        return v.validate();
    }

    @Test
    void acceptsATermsSplitOnAKeywordField() {
        assertThat(problems(DATA_VIEW, lens("terms", "platform", "string"))).isEmpty();
        assertThat(problems(DATA_VIEW, lens("date_histogram", "created_at", "date"))).isEmpty();
        assertThat(problems(DATA_VIEW, lens("sum", "engagement.total", "number"))).isEmpty();
    }

    @Test
    void reportsAFieldThatIsNotInTheTemplate() {
        assertThat(problems(DATA_VIEW, lens("terms", "no_such_field", "string")))
                .singleElement()
                .asString()
                .contains("'no_such_field' is not in index template echolot-mentions");
    }

    @Test
    void reportsATermsSplitOnATextField() {
        assertThat(problems(DATA_VIEW, lens("terms", "text", "string")))
                .singleElement()
                .asString()
                .contains("'text' is text", "does not fit");
    }

    @Test
    void reportsADateHistogramOnAKeywordAndASumOfAKeyword() {
        assertThat(problems(DATA_VIEW, lens("date_histogram", "platform", "date")))
                .anyMatch(p -> p.contains("'platform' is keyword"));
        assertThat(problems(DATA_VIEW, lens("sum", "brands", "number")))
                .anyMatch(p -> p.contains("'brands' is keyword"));
    }

    @Test
    void reportsADataTypeThatContradictsTheField() {
        assertThat(problems(DATA_VIEW, lens("terms", "sentiment", "string")))
                .singleElement()
                .asString()
                .contains("dataType 'string' but field sentiment is float");
    }

    @Test
    void reportsADanglingReferenceAndAMissingDataView() {
        assertThat(problems(lens("terms", "platform", "string")))
                .anyMatch(p -> p.contains("points at index-pattern:m, which is in no file"));
    }

    @Test
    void reportsADataViewNoTemplateCoversAndATimeFieldThatIsNoDate() {
        assertThat(problems(DATA_VIEW.replace("echolot-mentions-*", "other-*")))
                .singleElement()
                .asString()
                .contains("no index template covers");
        assertThat(problems(DATA_VIEW.replace("created_at", "platform")))
                .singleElement()
                .asString()
                .contains("time field 'platform' is keyword");
    }

    @Test
    void reportsAKqlFieldThatDoesNotExistButNotWordsInsideQuotes() {
        String withQuery = lens("terms", "platform", "string");
        assertThat(
                        problems(
                                DATA_VIEW,
                                withQuery.replace(
                                        "\"query\":\"\"",
                                        "\"query\":\"brands : \\\"x: y\\\" and colour : red\"")))
                .singleElement()
                .asString()
                .contains("KQL field 'colour'");
        assertThat(SavedObjectsValidator.kqlFields("not topic : \"all\" or state:open"))
                .containsExactly("topic", "state");
    }

    @Test
    void reportsASavedSearchColumnOrSortThatDoesNotFit() {
        String search =
                "{\"type\":\"search\",\"id\":\"s\",\"attributes\":{\"title\":\"s\",\"columns\":"
                        + "[\"text\",\"author.nickname\"],\"sort\":[[\"text\",\"desc\"]],"
                        + "\"kibanaSavedObjectMeta\":{\"searchSourceJSON\":\"{\\\"indexRefName\\\":"
                        + "\\\"ref\\\",\\\"query\\\":{\\\"query\\\":\\\"\\\",\\\"language\\\":"
                        + "\\\"kuery\\\"},\\\"filter\\\":[]}\"}},\"references\":[{\"type\":"
                        + "\"index-pattern\",\"id\":\"m\",\"name\":\"ref\"}],"
                        + "\"typeMigrationVersion\":\"10.5.0\"}";
        assertThat(problems(DATA_VIEW, search))
                .hasSize(2)
                .anyMatch(p -> p.contains("column: field 'author.nickname' is not in"))
                .anyMatch(p -> p.contains("sort: field 'text' is text"));
    }

    @Test
    void reportsADashboardPanelWithoutItsObjectAndAControlOnATextField() {
        String dashboard =
                "{\"type\":\"dashboard\",\"id\":\"d\",\"attributes\":{\"title\":\"d\",\"panelsJSON\":"
                        + "\"[{\\\"type\\\":\\\"lens\\\",\\\"panelIndex\\\":\\\"p1\\\",\\\"gridData\\\":"
                        + "{\\\"x\\\":0,\\\"y\\\":0,\\\"w\\\":24,\\\"h\\\":10,\\\"i\\\":\\\"p1\\\"},"
                        + "\\\"panelRefName\\\":\\\"panel_p1\\\"}]\",\"controlGroupInput\":{"
                        + "\"panelsJSON\":\"{\\\"c1\\\":{\\\"type\\\":\\\"optionsListControl\\\","
                        + "\\\"explicitInput\\\":{\\\"fieldName\\\":\\\"text\\\"}}}\"}},\"references\":"
                        + "[{\"type\":\"lens\",\"id\":\"gone\",\"name\":\"p1:panel_p1\"},{\"type\":"
                        + "\"index-pattern\",\"id\":\"m\",\"name\":\"controlGroup_c1:optionsListDataView\"}],"
                        + "\"typeMigrationVersion\":\"8.9.0\"}";
        assertThat(problems(DATA_VIEW, dashboard))
                .hasSize(2)
                .anyMatch(p -> p.contains("points at lens:gone, which is in no file"))
                .anyMatch(p -> p.contains("control c1: field 'text' is text"));
    }

    @Test
    void reportsAnObjectWithoutMigrationVersion() {
        assertThat(problems(DATA_VIEW.replace(",\"typeMigrationVersion\":\"8.0.0\"", "")))
                .singleElement()
                .asString()
                .contains("index-pattern:m has no typeMigrationVersion");
    }

    @Test
    void reportsBrokenLinesAndUnknownTypes() {
        assertThat(problems("{not json", "{\"type\":\"canvas-workpad\",\"id\":\"x\"}"))
                .hasSize(2)
                .anyMatch(p -> p.startsWith("test:1: not JSON"))
                .anyMatch(p -> p.contains("unknown saved object type 'canvas-workpad'"));
    }
}
