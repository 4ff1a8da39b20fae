// Sources of tests/data/junit/nunit2_*.xml: compiled with mono's mcs against
// NUnit 2.6 and run with nunit-console (see tests/data/junit/README.md).
using System;
using NUnit.Framework;

namespace Calc.Tests {
  [TestFixture]
  public class CalculatorTests {
    [Test] public void Adds() { Assert.AreEqual(4, 2 + 2); }
    [Test] public void FailsCompare() { Assert.AreEqual(3, 1 + 1, "sum is wrong & <odd>"); }
    [Test] public void Throws() { throw new InvalidOperationException("config missing"); }
    [Test, Ignore("not on this platform")] public void Ignored() { }
    [Test] public void Inconclusive() { Assert.Inconclusive("no data yet"); }
    [TestCase(1, 2, 3)]
    [TestCase(2, 2, 5)]
    public void AddsCases(int a, int b, int sum) { Assert.AreEqual(sum, a + b); }
  }

  [TestFixture]
  public class TearDownFails {
    [Test] public void RunsFine() { }
    [TestFixtureTearDown] public void Cleanup() { throw new Exception("cleanup exploded"); }
  }
}
