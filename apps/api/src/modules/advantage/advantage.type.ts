import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { ValidationIssue } from "../../lib/issue.type.js";

@ObjectType({ description: "One benefit category of the advantage breakdown: quantity × rate" })
export class AdvantageBreakdownItem {
  @Field(() => String)
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => String, { description: "hours, activities or contacts" })
  basis: string;

  @Field(() => Float)
  quantity: number;

  @Field(() => Float)
  rate: number;

  @Field(() => Float)
  value: number;
}

@ObjectType({ description: "Seed 004: the estimated value of a peer mentor's volunteer work in a year" })
export class AdvantageCalculation {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => Int)
  year: number;

  @Field(() => Date)
  calculationDate: Date;

  @Field(() => Date)
  periodStart: Date;

  @Field(() => Date)
  periodEnd: Date;

  @Field(() => Int)
  totalActivities: number;

  @Field(() => Float)
  totalHours: number;

  @Field(() => Float, {
    nullable: true,
    description: "Hours × the hourly rate; null when the organization set no rate",
  })
  estimatedMonetaryValue: number | null;

  @Field(() => Float, { nullable: true })
  socialImpactScore: number | null;

  @Field(() => Int, { nullable: true })
  contactsHelped: number | null;

  @Field(() => [AdvantageBreakdownItem])
  advantageBreakdown: AdvantageBreakdownItem[];

  @Field(() => String)
  calculationVersion: string;

  @Field(() => Float, { nullable: true })
  hourlyRate: number | null;

  @Field(() => String)
  currency: string;

  @Field(() => String, { nullable: true, description: "Where the hourly rate comes from" })
  rateSource: string | null;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => [ValidationIssue])
  warnings: ValidationIssue[];
}

@InputType()
export class AdvantageCalculationFilter {
  @Field(() => ID, { nullable: true })
  userId?: string;

  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => [ID], { nullable: true })
  ids?: string[];
}

@ObjectType({ description: "A benefit category: rate per hour, per activity or per distinct contact" })
export class BenefitCategory {
  @Field(() => String)
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => String, { description: "hours, activities or contacts" })
  basis: string;

  @Field(() => Float)
  rate: number;
}

@InputType()
export class BenefitCategoryInput {
  @Field(() => String)
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => String)
  basis: string;

  @Field(() => Float)
  rate: number;
}

@ObjectType({
  description: "An organization's advantage calculator parameters for one year, with their source",
})
export class AdvantageParameter {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  organizationId: string;

  @Field(() => Int)
  year: number;

  @Field(() => Float)
  hourlyRate: number;

  @Field(() => String)
  currency: string;

  @Field(() => String)
  source: string;

  @Field(() => [BenefitCategory])
  benefitCategories: BenefitCategory[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@InputType()
export class AdvantageParameterFilter {
  @Field(() => ID, { nullable: true })
  organizationId?: string;

  @Field(() => Int, { nullable: true })
  year?: number;

  @Field(() => [ID], { nullable: true })
  ids?: string[];
}

@ArgsType()
export class CreateAdvantageParameterArgs {
  @Field(() => Int)
  year: number;

  @Field(() => Float)
  hourlyRate: number;

  @Field(() => String, { nullable: true, description: "Default: the organization's currency" })
  currency?: string;

  @Field(() => String)
  source: string;

  @Field(() => [BenefitCategoryInput], { nullable: true })
  benefitCategories?: BenefitCategoryInput[];

  @Field(() => ID, { nullable: true, description: "Global Administrators only" })
  organizationId?: string;
}

@ArgsType()
export class UpdateAdvantageParameterArgs {
  @Field(() => ID)
  id: string;

  @Field(() => Float, { nullable: true })
  hourlyRate?: number;

  @Field(() => String, { nullable: true })
  currency?: string;

  @Field(() => String, { nullable: true })
  source?: string;

  @Field(() => [BenefitCategoryInput], { nullable: true })
  benefitCategories?: BenefitCategoryInput[];
}
