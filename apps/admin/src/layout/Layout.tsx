import type { ReactNode } from "react";
import { Layout } from "react-admin";
import { LaurelMenu } from "./Menu";

export const LaurelLayout = ({ children }: { children: ReactNode }) => (
  <Layout menu={LaurelMenu}>{children}</Layout>
);
