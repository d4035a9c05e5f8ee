import type { ReactNode } from "react";
import { Layout } from "react-admin";
import { LaurelAppBar } from "./AppBar";
import { LaurelMenu } from "./Menu";

export const LaurelLayout = ({ children }: { children: ReactNode }) => (
  <Layout menu={LaurelMenu} appBar={LaurelAppBar}>
    {children}
  </Layout>
);
