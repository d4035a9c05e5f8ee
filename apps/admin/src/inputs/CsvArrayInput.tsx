import { TextInput } from "react-admin";

/** A list of strings typed as comma-separated text; `csvToArray` turns it back into a list on save. */
export const CsvArrayInput = ({
  source,
  label,
  helperText,
}: {
  source: string;
  label: string;
  helperText?: string;
}) => (
  <TextInput
    source={source}
    label={label}
    helperText={helperText}
    format={(value: string[] | string | null | undefined) =>
      Array.isArray(value) ? value.join(", ") : (value ?? "")
    }
    parse={(text: string) => text}
  />
);

export function csvToArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string") return [];
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
