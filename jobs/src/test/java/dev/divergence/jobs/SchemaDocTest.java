package dev.divergence.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/** datasets/SCHEMA.md documents exactly the columns the job writes, in order. */
class SchemaDocTest {

    @Test
    void everyTableSectionListsTheColumnsOfItsSchemaInOrder() throws Exception {
        String doc = Files.readString(Path.of("..", "datasets", "SCHEMA.md"));
        for (String table : List.of(Tables.RELEASES, Tables.ARTIFACTS, Tables.FILES, Tables.SIGNALS, Tables.SCANS)) {
            int start = doc.indexOf("## " + table + " ");
            int end = doc.indexOf("\n## ", start + 1);
            String section = doc.substring(start, end < 0 ? doc.length() : end);
            List<String> documented = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^\\| `([a-z_0-9]+)` \\|").matcher(section);
            while (m.find()) {
                documented.add(m.group(1));
            }
            List<String> actual = Arrays.stream(Tables.schema(table).fields()).map(StructField::name).toList();
            assertEquals(actual, documented, "datasets/SCHEMA.md section '" + table + "'");
        }
    }
}
