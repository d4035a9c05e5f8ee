import { TextField } from "@mui/material";
import { useState } from "react";
import { InputHelperText, useInput, type Validator } from "react-admin";

const NOT_JSON = Symbol("not json");

const jsonObject: Validator = (value: unknown) =>
  value === NOT_JSON ? 'Not a JSON object, e.g. {"period": "calendar_year"}' : undefined;

/** A JSON object typed as text: the form holds the parsed object, or an error while the text is not JSON. */
export const JsonInput = ({
  source,
  label,
  helperText,
}: {
  source: string;
  label: string;
  helperText?: string;
}) => {
  const { field, fieldState, isRequired } = useInput({ source, validate: jsonObject, defaultValue: null });
  const [text, setText] = useState(() =>
    field.value && field.value !== NOT_JSON ? JSON.stringify(field.value, null, 2) : "",
  );
  const onChange = (next: string) => {
    setText(next);
    if (next.trim() === "") return field.onChange(null);
    try {
      const parsed: unknown = JSON.parse(next);
      field.onChange(parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : NOT_JSON);
    } catch {
      field.onChange(NOT_JSON);
    }
  };
  const error = fieldState.error?.message;
  return (
    <TextField
      label={label}
      required={isRequired}
      value={text}
      onChange={(e) => onChange(e.target.value)}
      onBlur={field.onBlur}
      multiline
      minRows={2}
      fullWidth
      size="small"
      margin="dense"
      error={!!error && fieldState.isTouched}
      helperText={
        <InputHelperText error={fieldState.isTouched ? error : undefined} helperText={helperText} />
      }
      slotProps={{ htmlInput: { "aria-label": label, style: { fontFamily: "monospace" } } }}
    />
  );
};
