import UploadIcon from "@mui/icons-material/Upload";
import { Avatar, Box, Button, CircularProgress, TextField, Typography } from "@mui/material";
import { useRef, useState } from "react";
import { InputHelperText, useInput } from "react-admin";
import { uploadBadgeImage } from "../../providers/uploads";

/** The badge image: upload a file (stored by the API, its URL kept in iconUrl) or type a URL; with a preview. */
export const IconInput = () => {
  const { field, fieldState } = useInput<string | null>({ source: "iconUrl" });
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string>();

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    setUploadError(undefined);
    try {
      const stored = await uploadBadgeImage(file);
      field.onChange(stored.url);
    } catch (error) {
      setUploadError((error as Error).message);
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = "";
    }
  };

  const error = uploadError ?? fieldState.error?.message;
  return (
    <Box sx={{ display: "flex", gap: 2, alignItems: "flex-start", width: "100%", my: 1 }}>
      <Avatar
        src={field.value || undefined}
        alt="Badge preview"
        variant="rounded"
        sx={{ width: 64, height: 64 }}
        data-testid="icon-preview"
      />
      <Box sx={{ flex: 1 }}>
        <TextField
          label="Icon URL"
          value={field.value ?? ""}
          onChange={(e) => field.onChange(e.target.value)}
          onBlur={field.onBlur}
          size="small"
          fullWidth
          error={!!error}
          helperText={<InputHelperText error={error} helperText="Upload a badge image, or type its URL" />}
        />
        <Box sx={{ display: "flex", alignItems: "center", gap: 1, mt: 1 }}>
          <Button
            variant="outlined"
            size="small"
            startIcon={uploading ? <CircularProgress size={16} /> : <UploadIcon />}
            onClick={() => fileInput.current?.click()}
            disabled={uploading}
          >
            Upload badge image
          </Button>
          <Typography variant="caption" color="text.secondary">
            PNG, JPEG, GIF or WebP
          </Typography>
          <input
            ref={fileInput}
            type="file"
            accept="image/*"
            hidden
            aria-label="Badge image file"
            onChange={(e) => void upload(e.target.files?.[0])}
          />
        </Box>
      </Box>
    </Box>
  );
};
