using Ardalis.Specification;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Application.Customers;
using CrmTenancy.Domain.Customers;
using CrmTenancy.UnitTests.Support;
using NSubstitute;

namespace CrmTenancy.UnitTests.Application.Common;

public sealed class RepositoryExtensionsTests
{
    private readonly Customer _own = TestData.Customer(TestData.TenantA, "Own");
    private readonly Customer _foreign = TestData.Customer(TestData.TenantB, "Foreign");

    [Fact]
    public async Task LoadForChangeAsync_returns_the_aggregate_and_applies_the_expected_version()
    {
        var repository = InMemory.Repository(TestData.TenantA, _own, _foreign);

        var loaded = await repository.LoadForChangeAsync(TestData.TenantContext(TestData.TenantA), _own.Id, 7, CancellationToken.None);

        Assert.Same(_own, loaded);
        repository.Received(1).ExpectVersion(_own, 7);
    }

    [Fact]
    public async Task LoadForChangeAsync_passes_no_expected_version_through_as_none()
    {
        var repository = InMemory.Repository(TestData.TenantA, _own);

        await repository.LoadForChangeAsync(TestData.TenantContext(TestData.TenantA), _own.Id, null, CancellationToken.None);

        repository.Received(1).ExpectVersion(_own, null);
    }

    [Fact]
    public async Task LoadForChangeAsync_reads_through_a_tracked_ById_specification_of_the_tenant()
    {
        var repository = InMemory.Repository(TestData.TenantA, _own);
        using var cancellation = new CancellationTokenSource();

        await repository.LoadForChangeAsync(TestData.TenantContext(TestData.TenantA), _own.Id, null, cancellation.Token);

        await repository.Received(1).FirstOrDefaultAsync(
            Arg.Is<ISpecification<Customer>>(s => s is ByIdSpecification<Customer> && !s.AsNoTracking
                                                  && ((ITenantScopedSpecification)s).TenantId == TestData.TenantA),
            cancellation.Token);
    }

    [Fact]
    public async Task LoadForChangeAsync_of_a_missing_id_throws_NotFoundException_without_checking_a_version()
    {
        var repository = InMemory.Repository(TestData.TenantA, _own);
        var missing = Guid.CreateVersion7();

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            repository.LoadForChangeAsync(TestData.TenantContext(TestData.TenantA), missing, 3, CancellationToken.None));

        Assert.Equal(nameof(Customer), error.Resource);
        Assert.Contains(missing.ToString(), error.Message);
        repository.DidNotReceiveWithAnyArgs().ExpectVersion(default!, default);
    }

    [Fact]
    public async Task LoadForChangeAsync_of_another_tenants_id_throws_NotFoundException()
    {
        var repository = InMemory.Repository(TestData.TenantA, _own, _foreign);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            repository.LoadForChangeAsync(TestData.TenantContext(TestData.TenantA), _foreign.Id, null, CancellationToken.None));

        Assert.Equal(nameof(Customer), error.Resource);
        repository.DidNotReceiveWithAnyArgs().ExpectVersion(default!, default);
    }

    [Fact]
    public async Task GetDtoAsync_of_a_missing_id_throws_NotFoundException()
    {
        var repository = InMemory.Repository<Customer>(TestData.TenantA);
        repository.ProjectFirstOrDefaultAsync<CustomerDto>(Arg.Any<ISpecification<Customer>>(), Arg.Any<CancellationToken>())
            .Returns((CustomerDto?)null);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            repository.GetDtoAsync<Customer, CustomerDto>(TestData.TenantContext(TestData.TenantA), Guid.CreateVersion7(), CancellationToken.None));

        Assert.Equal(nameof(Customer), error.Resource);
    }

    [Fact]
    public async Task GetDtoAsync_projects_through_an_untracked_ReadById_specification()
    {
        var repository = InMemory.Repository<Customer>(TestData.TenantA);
        var dto = new CustomerDto { Id = _own.Id, Name = "Own" };
        repository.ProjectFirstOrDefaultAsync<CustomerDto>(
                Arg.Is<ISpecification<Customer>>(s => s is ReadByIdSpecification<Customer> && s.AsNoTracking
                                                      && ((ITenantScopedSpecification)s).TenantId == TestData.TenantA),
                Arg.Any<CancellationToken>())
            .Returns(dto);

        var result = await repository.GetDtoAsync<Customer, CustomerDto>(TestData.TenantContext(TestData.TenantA), _own.Id, CancellationToken.None);

        Assert.Same(dto, result);
    }
}
