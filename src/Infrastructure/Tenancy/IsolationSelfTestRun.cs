using CrmTenancy.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// The audit of one isolation self-test: which operator ran it, when, what it checked and found, and its whole report.
/// It belongs to no tenant (the throw-away tenants are gone when it ends), so it is written on the owner role and read by
/// operators only. A run that never finished (the instance stopped) keeps <see cref="FinishedAt"/> empty.
/// </summary>
public sealed class IsolationSelfTestRun
{
    private IsolationSelfTestRun() { Operator = null!; }

    public Guid Id { get; private set; }
    public string Operator { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public bool? Passed { get; private set; }
    public int Checks { get; private set; }
    public int Failures { get; private set; }
    /// <summary>The report as answered (JSON).</summary>
    public string? Report { get; private set; }

    public static IsolationSelfTestRun Start(string @operator, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), Operator = @operator, StartedAt = now };

    public void Finish(bool passed, int checks, int failures, string report, DateTimeOffset now)
    {
        Passed = passed;
        Checks = checks;
        Failures = failures;
        Report = report;
        FinishedAt = now;
    }
}

public sealed class IsolationSelfTestRunConfiguration : IEntityTypeConfiguration<IsolationSelfTestRun>
{
    public void Configure(EntityTypeBuilder<IsolationSelfTestRun> builder)
    {
        builder.ToTable("isolation_self_tests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Operator).HasMaxLength(FieldLengths.Actor).IsRequired();
        builder.Property(r => r.Report).HasColumnType("jsonb");
        builder.HasIndex(r => r.StartedAt);
    }
}
